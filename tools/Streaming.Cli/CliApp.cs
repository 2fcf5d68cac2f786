using System.CommandLine;
using Streaming.Bench;

namespace Streaming.Cli;

internal static class CliApp
{
    public static RootCommand Create()
    {
        var root = new RootCommand("streaming: the notification platform's command line.");
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(LagCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }
}
