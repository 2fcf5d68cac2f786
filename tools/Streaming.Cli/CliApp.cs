using System.CommandLine;

namespace Streaming.Cli;

internal static class CliApp
{
    public static RootCommand Create()
    {
        var root = new RootCommand("streaming: the notification platform's command line.");
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(LagCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs a command line. A parse or validation error prints one line to standard error and exits with 2
    /// before anything starts.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? errors = null, CancellationToken cancellationToken = default)
    {
        var parsed = Create().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var message = string.Join(" ", parsed.Errors[0].Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            await (errors ?? Console.Error).WriteLineAsync($"streaming: {message}");
            return 2;
        }

        return await parsed.InvokeAsync(cancellationToken: cancellationToken);
    }
}
