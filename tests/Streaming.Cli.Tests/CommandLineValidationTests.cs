using Streaming.Cli;

namespace Streaming.Cli.Tests;

/// <summary>A bad command-line value stops the command before anything starts: exit code 2 and one line naming the option, the value and what is accepted.</summary>
public sealed class CommandLineValidationTests
{
    public static TheoryData<string, string, string> BadValues => new()
    {
        { "up --provider-faults transient=0.2", "--provider-faults", "'transient=0.2'" },
        { "up --events abc", "--events", "whole number" },
        { "up --rate 0", "--rate", "from 1 to" },
        { "up --api-port 70000", "--api-port", "from 0 to 65535" },
        { "up --timeout -5", "--timeout", "'-5'" },
        { "lag --interval 0", "--interval", "'0'" },
        { "lag --group senders-sms", "--group", "group=topic" },
        { "lag --metrics-port many", "--metrics-port", "'many'" },
        { "replay --topic notifications.dlq --from-offset 3 --dry-run", "--from-offset", "partition:offset" },
        { "replay --topic notifications.sms --force --dry-run", "--force", "--republish" },
        { "replay --topic notifications.sms", "nothing to do", "--output" },
        { "replay --topic notifications.sms --dry-run --format xml", "xml", "JsonLines" },
        { "status short --key k", "EVENT_ID", "'short'" },
        { "status evt-12345678", "--key", "STREAMING_API_KEY" },
        { "status ../etc/passwd --key k", "EVENT_ID", "8-64 characters" },
        { "status evt-12345678 --key k --api ftp://example.com", "--api", "http://" },
        { "status evt-12345678 --key k --api 127.0.0.1:5080", "--api", "'127.0.0.1:5080'" },
        { "bench --events 0", "--events", "from 1 to" },
        { "bench --stages raw,warp", "--stages", "raw,topology,sender,pipeline" },
        { "bench --topology-threads 1,99", "--topology-threads", "from 1 to 8" },
        { "bench --linger-ms -1", "--linger-ms", "'-1'" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task a_bad_value_exits_2_with_one_line_naming_the_option_and_the_value(string commandLine, string names, string says)
    {
        var errors = new StringWriter();
        var exit = await CliApp.RunAsync(commandLine.Split(' '), errors, TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        var line = Assert.Single(errors.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("streaming: ", line, StringComparison.Ordinal);
        Assert.Contains(names, line, StringComparison.Ordinal);
        Assert.Contains(says, line, StringComparison.Ordinal);
    }
}
