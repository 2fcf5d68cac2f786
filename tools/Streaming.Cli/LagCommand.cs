using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Streaming.Hosting;
using Streaming.Monitoring;

namespace Streaming.Cli;

/// <summary>`streaming lag`: consumer lag and status per group, for any cluster.</summary>
internal static class LagCommand
{
    public static Command Create()
    {
        var bootstrap = new Option<string>("--bootstrap") { Description = "Bootstrap servers (default: $STREAMING_BOOTSTRAP or localhost:9092).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("STREAMING_BOOTSTRAP") ?? "localhost:9092" };
        var groups = new Option<string[]>("--group") { Description = "group=topic[,topic] to watch; repeatable (default: the platform's processor and sender groups).", AllowMultipleArgumentsPerToken = false };
        groups.Validators.Add(r =>
        {
            foreach (var spec in r.Tokens.Select(t => t.Value).Where(v => !PlatformGroups.TryParse(v, out _)))
            {
                r.AddError($"--group: '{spec}' is not accepted; use group=topic[,topic...]");
            }
        });
        var watch = new Option<bool>("--watch") { Description = "Keep sampling and redraw every --interval." };
        var json = new Option<bool>("--json") { Description = "Print JSON (one document per sample)." };
        var interval = CliOptions.Double("--interval", "Seconds between samples with --watch.", 5, 0.1, 3600);
        var metricsPort = CliOptions.Int("--metrics-port", "With --watch: also export the lag gauges on a Prometheus endpoint at this port (0 = off).", 0, 0, 65535);
        var metricsHost = new Option<string>("--metrics-host") { Description = "Host of the Prometheus endpoint ('+' = every interface, for containers).", DefaultValueFactory = _ => "localhost" };
        var command = new Command("lag", "Show committed offset, high watermark and lag (messages, seconds) per group/topic/partition, with a Burrow-style status per group.")
        {
            bootstrap, groups, watch, json, interval, metricsPort, metricsHost,
        };
        command.SetAction(async (result, ct) =>
        {
            var specs = result.GetValue(groups) ?? [];
            IReadOnlyList<MonitoredGroup> watched = specs.Length == 0 ? PlatformGroups.Default() : specs.Select(PlatformGroups.Parse).ToList();
            using var monitor = new LagMonitor(result.GetValue(bootstrap)!, watched);
            var asJson = result.GetValue(json);
            if (!result.GetValue(watch))
            {
                Print(await monitor.SampleAsync(ct), asJson);
                return 0;
            }

            var port = result.GetValue(metricsPort);
            using var meters = port > 0
                ? StreamingTelemetry.CreateMeterProvider(new TelemetryOptions { PrometheusPort = port, PrometheusHost = result.GetValue(metricsHost)! }, "streaming-lag-monitor")
                : null;
            try
            {
                await monitor.RunAsync(TimeSpan.FromSeconds(result.GetValue(interval)), s => Print(s, asJson), ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C ends --watch.
            }

            return 0;
        });
        return command;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static void Print(IReadOnlyList<GroupLag> sample, bool asJson)
    {
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(sample, Json));
            return;
        }

        if (Console.IsOutputRedirected)
        {
            // Pipes and files get plain aligned columns, like kafka-consumer-groups --describe.
            Console.WriteLine($"{"GROUP",-24} {"STATUS",-6} {"TOPIC",-32} {"PART",4} {"COMMITTED",10} {"HIGH",10} {"LAG",8} {"LAG_S",7}");
            foreach (var g in sample)
            {
                var status = g.Status.ToString().ToUpperInvariant();
                if (g.Partitions.Count == 0)
                {
                    Console.WriteLine($"{g.Group,-24} {status,-6} {g.Reason}");
                }

                foreach (var p in g.Partitions)
                {
                    Console.WriteLine($"{g.Group,-24} {status,-6} {p.Topic,-32} {p.Partition,4} {(p.Committed < 0 ? "-" : p.Committed.ToString(System.Globalization.CultureInfo.InvariantCulture)),10} {p.HighWatermark,10} {p.LagMessages,8} {p.LagSeconds,7:0.0}");
                }
            }

            return;
        }

        AnsiConsole.Write(Render(sample));
    }

    public static Table Render(IReadOnlyList<GroupLag> sample)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Consumer lag[/] at {DateTimeOffset.UtcNow:HH:mm:ss} UTC");
        table.AddColumns("group", "status", "topic", "partition", "committed", "high watermark", "lag", "lag s");
        foreach (var g in sample)
        {
            var status = g.Status switch
            {
                GroupStatus.Ok => "[green]OK[/]",
                GroupStatus.Warn => "[yellow]WARN[/]",
                GroupStatus.Stall => "[red]STALL[/]",
                GroupStatus.Stop => "[grey]STOP[/]",
                _ => "[red]ERR[/]",
            };
            if (g.Partitions.Count == 0)
            {
                table.AddRow(Markup.Escape(g.Group), status, Markup.Escape(g.Reason), "", "", "", "", "");
                continue;
            }

            foreach (var p in g.Partitions)
            {
                table.AddRow(Markup.Escape(g.Group), status, Markup.Escape(p.Topic), $"{p.Partition}", p.Committed < 0 ? "-" : $"{p.Committed}", $"{p.HighWatermark}", $"{p.LagMessages}", $"{p.LagSeconds:0.0}");
            }
        }

        return table;
    }
}
