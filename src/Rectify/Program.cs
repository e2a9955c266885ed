using Rectify.Cli;

return await CommandLine.RunAsync(args, Console.In, Console.Out, Console.Error, TimeProvider.System);

/// <summary>The entry point; public so that the integration tests can host the app.</summary>
public partial class Program;
