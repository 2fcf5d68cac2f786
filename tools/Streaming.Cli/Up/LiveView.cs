using Spectre.Console;
using Spectre.Console.Rendering;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.Monitoring;

namespace Streaming.Cli;

/// <summary>The live view of <c>streaming up</c> in a terminal: requests, outcomes per channel, lag per group, once a second.</summary>
internal static class LiveView
{
    private static readonly string[] ChannelColumns = [Outcomes.Delivered, Outcomes.Suppressed, Outcomes.Failed, Outcomes.Retrying, Outcomes.DeadLettered, Outcomes.Expired];

    public static async Task<int> RunAsync(UpFrames frames, LocalPlatform platform, DrainCheck? drain, Task traffic, CancellationToken ct)
    {
        var exit = 0;
        string? why = null;
        await AnsiConsole.Live(new Markup("starting…")).StartAsync(async ctx =>
        {
            while (true)
            {
                var f = await frames.NextAsync(TimeSpan.FromSeconds(1), ct);
                ctx.UpdateTarget(Render(f, platform));
                if (drain?.Check(f, traffic.IsCompleted, out why) is { } code)
                {
                    exit = code;
                    return;
                }
            }
        });
        if (why is not null)
        {
            AnsiConsole.MarkupLine(Markup.Escape(why));
        }

        return exit;
    }

    private static IRenderable Render(Frame f, LocalPlatform platform)
    {
        var s = f.Snapshot;
        var requests = new Table().Border(TableBorder.Rounded).Title($"[bold]Requests through the stack[/] (up {f.Uptime:hh\\:mm\\:ss})");
        requests.AddColumns("requests", "req/s", "final", "held", "in flight", "e2e p50 / p95 / p99 ms", "demo sent / accepted / rejected (4xx) / failed");
        requests.AddRow($"{s.Requested}", $"{f.RequestsPerSecond:0}", $"{s.Final}", $"{s.Held}", $"{s.Pending.Count}",
            $"{s.Latency.P50} / {s.Latency.P95} / {s.Latency.P99}",
            $"{f.Demo.Sent} / [green]{f.Demo.Accepted}[/] / [yellow]{f.Demo.Rejected}[/] / [red]{f.Demo.Failed}[/]");

        var channels = new Table().Border(TableBorder.Rounded).Title("[bold]Outcomes per channel[/] (latest per message)");
        channels.AddColumns(["channel", .. ChannelColumns, "messages on topic"]);
        foreach (var (channel, outcomes) in s.ByChannel)
        {
            channels.AddRow([channel, .. ChannelColumns.Select(c => $"{outcomes.GetValueOrDefault(c)}"), $"{platform.Cluster.RecordCount(Topics.ForChannel(channel))}"]);
        }

        var requestLevel = string.Join("  ", s.Outcomes.Where(kv => kv.Key is Outcomes.Suppressed or Outcomes.Deferred or Outcomes.Duplicate or Outcomes.DeadLettered or Outcomes.Expired).Select(kv => $"{kv.Key} {kv.Value}"));
        var groups = new Table().Border(TableBorder.Rounded).Title("[bold]Consumer lag[/]");
        groups.AddColumns("group", "status", "lag (messages)", "lag (s)");
        foreach (var g in f.Lags)
        {
            var color = g.Status switch { GroupStatus.Ok => "green", GroupStatus.Warn => "yellow", GroupStatus.Stop => "grey", _ => "red" };
            groups.AddRow(Markup.Escape(g.Group), $"[{color}]{g.Status.ToString().ToUpperInvariant()}[/]", $"{g.TotalLag}", $"{g.MaxLagSeconds:0.0}");
        }

        var footer = $"all outcomes: {requestLevel}  |  provider duplicates: {platform.Fakes.Duplicates}  |  DLQ records: {platform.Cluster.RecordCount(Topics.DeadLetter)}";
        return new Rows(requests, channels, new Markup($"[grey]{Markup.Escape(footer)}[/]"), groups, new Markup("[grey]Ctrl+C to stop.[/]"));
    }
}
