using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Rectify.Features.Reports;

namespace Rectify.UnitTests;

/// <summary>
/// Whatever a file is called, the store's real path functions keep it under the evidence root (security.md E3): the
/// name is display metadata only, the stored path comes from the digest, and a digest that is not one is refused.
/// </summary>
public sealed class EvidencePathTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rectify-paths-" + Guid.NewGuid().ToString("N"), "evidence");

    private static readonly string[] Fragments =
    [
        "../", "..\\", "/", "\\", "..", ".", "\0", "\r\n", "CON", "NUL", "AUX", "COM1", "~", "%2e%2e%2f", "..%5c", ":", "*", "?", "\"",
        "整改报告", "巡察", "\u202Efdp.exe", " ", "/etc/passwd", "C:\\Windows\\", "//server/share/", ".pdf", ".exe", "web.config",
    ];

    /// <summary>Names built from traversal pieces, device names, control characters and Chinese, or any string at all, often ending in .pdf.</summary>
    private static readonly Gen<string> Names = Gen.OneOf(
        Gen.ArrayOf(Gen.Elements(Fragments)).Select(parts => string.Concat(parts)),
        ArbMap.Default.GeneratorFor<string>().Select(s => s ?? string.Empty),
        Gen.Choose(1, 400).Select(n => new string('整', n) + ".pdf"))
        .SelectMany(name => Gen.Elements(name, name + ".pdf"));

    public void Dispose()
    {
        if (Directory.Exists(Path.GetDirectoryName(root)))
        {
            Directory.Delete(Path.GetDirectoryName(root)!, recursive: true);
        }
    }

    private bool IsUnderRoot(string path) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    [Fact]
    public void Whatever_the_name_the_staged_and_the_stored_path_resolve_under_the_root()
    {
        var store = new EvidenceStore(root);
        var property = Prop.ForAll(Arb.From(Names), name =>
        {
            var shown = EvidenceStore.DisplayName(name);
            Assert.DoesNotContain('/', shown);
            Assert.DoesNotContain('\\', shown);
            Assert.True(shown.Length <= EvidenceStore.MaxDisplayName, $"{shown.Length} characters kept");

            var pdf = Encoding.UTF8.GetBytes($"%PDF-1.4\n% {Guid.NewGuid()}\n%%EOF\n");
            StagedFile staged;
            try
            {
                staged = store.StageAsync(new MemoryStream(pdf), shown, 1024 * 1024, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (EvidenceRejectedException)
            {
                // Refused (a control character, a double extension, not named .pdf): nothing staged.
                Assert.Empty(Directory.Exists(Path.Combine(root, "tmp")) ? Directory.EnumerateFiles(Path.Combine(root, "tmp")) : []);
                return;
            }

            Assert.True(IsUnderRoot(staged.TempPath), staged.TempPath);
            var stored = store.PathOf(staged.Sha256);
            Assert.True(IsUnderRoot(stored), stored);
            Assert.Equal(staged.Sha256, Path.GetFileName(stored));
            Assert.Equal(shown, staged.OriginalName);
            EvidenceStore.Discard([staged]);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), property);
    }

    [Fact]
    public void A_stored_path_is_built_from_a_digest_only_and_anything_else_is_refused()
    {
        var store = new EvidenceStore(root);
        var property = Prop.ForAll(Arb.From(Names), text =>
        {
            try
            {
                Assert.True(IsUnderRoot(store.PathOf(text)));
            }
            catch (ArgumentException)
            {
                // Not 64 lower-case hex digits: never turned into a path.
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), property);

        Assert.Throws<ArgumentException>(() => store.PathOf("../" + new string('a', 61)));
        Assert.Throws<ArgumentException>(() => store.PathOf(new string('A', 64)));
        var digest = new string('0', 62) + "ab";
        Assert.Equal(Path.Combine(Path.GetFullPath(root), "00", "00", digest), store.PathOf(digest));
    }
}
