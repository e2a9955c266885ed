using System.Runtime.CompilerServices;
using System.Text;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>
/// What the application printed to the process's standard error while a fixture started it: Program writes a refusal
/// (no database, no key) there and ends, and the hosted test server then stands with nothing behind it. The capture
/// follows the starting fixture's execution context (the entry point's thread inherits it), so fixtures starting side by
/// side each read their own lines; everything else still reaches the real standard error.
/// </summary>
public sealed class ConsoleCapture : IDisposable
{
    /// <summary>
    /// The starting fixture's buffer, through a holder: the entry point's thread (and all the server starts) keeps the
    /// holder it inherited, so disposing empties the holder and the copying stops, instead of going on for the server's life.
    /// </summary>
    private static readonly AsyncLocal<StrongBox<StringWriter?>?> Target = new();
    private static readonly Lock Gate = new();
    private static bool installed;

    private readonly StringWriter writer = new();
    private readonly StrongBox<StringWriter?>? outer;
    private readonly StrongBox<StringWriter?> holder;

    private ConsoleCapture()
    {
        outer = Target.Value;
        holder = new StrongBox<StringWriter?>(writer);
        Target.Value = holder;
    }

    /// <summary>Routes this execution context's standard error (and what it starts) into a buffer as well, until disposed.</summary>
    public static ConsoleCapture Begin()
    {
        lock (Gate)
        {
            if (!installed)
            {
                Console.SetError(new Router(Console.Error));
                installed = true;
            }
        }

        return new ConsoleCapture();
    }

    public string Text
    {
        get
        {
            lock (writer)
            {
                return writer.ToString();
            }
        }
    }

    public void Dispose()
    {
        holder.Value = null;
        Target.Value = outer;
    }

    private sealed class Router(TextWriter real) : TextWriter
    {
        public override Encoding Encoding => real.Encoding;

        public override void Write(char value)
        {
            Copy(w => w.Write(value));
            real.Write(value);
        }

        public override void Write(string? value)
        {
            Copy(w => w.Write(value));
            real.Write(value);
        }

        public override void WriteLine(string? value)
        {
            Copy(w => w.WriteLine(value));
            real.WriteLine(value);
        }

        public override Task WriteLineAsync(string? value)
        {
            Copy(w => w.WriteLine(value));
            return real.WriteLineAsync(value);
        }

        public override Task WriteAsync(string? value)
        {
            Copy(w => w.Write(value));
            return real.WriteAsync(value);
        }

        public override void Flush() => real.Flush();

        private static void Copy(Action<StringWriter> write)
        {
            if (Target.Value?.Value is { } target)
            {
                lock (target)
                {
                    write(target);
                }
            }
        }
    }
}
