using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Spectre.Console;

using Streaming.DeliveryLog;

namespace Streaming.Bench;

/// <summary>
/// `streaming bench`: every stage on its own fresh embedded cluster, one after another in this process, then a table and
/// the JSON file. Any record a stage produced that was never consumed (lag left over, or counts that differ) fails the
/// run with a non-zero exit naming the topic or group.
/// </summary>
public sealed class BenchRunner(BenchOptions options)
{
    // Process-wide and never disposed, like LocalStackRunner's: Streamiz keeps the first topology's logger factory in a static.
    private static readonly ILoggerFactory Loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
        .AddFilter("Microsoft.AspNetCore", LogLevel.Error));

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var results = new Dictionary<string, object>(StringComparer.Ordinal);
        var trimmedConsumed = false; // set by the pipeline stage: whether the embedded cluster deleted consumed records
        var failures = new List<string>();
        var stageSeconds = new Dictionary<string, double>(StringComparer.Ordinal);
        var rawEvents = Math.Min(options.Events, 200_000);
        var topologyEvents = Math.Min(options.Events, TopologyStage.BacklogMax);
        var senderEvents = Math.Min(options.Events, SenderStage.BacklogMax);
        var clock = Stopwatch.StartNew();

        async Task Stage(string name, Func<Task> run)
        {
            if (!options.Stages.Contains(name.Split(' ', ':')[0], StringComparer.OrdinalIgnoreCase))
            {
                return;
            }

            BenchReport.Say($"[{clock.Elapsed:mm\\:ss}] {name}…");
            var started = clock.Elapsed;
            try
            {
                await run();
            }
            catch (BenchFailure e)
            {
                failures.Add(e.Message);
                AnsiConsole.MarkupLine("[red]" + Markup.Escape("FAILED: " + e.Message) + "[/]");
            }

            stageSeconds[name.Split(':')[0]] = Math.Round((clock.Elapsed - started).TotalSeconds, 1);
        }

        await Stage($"raw: transport, {rawEvents} records of 300 bytes, 4 partitions", () =>
        {
            var (produce, consume) = RawStage.Run(rawEvents, Loggers.CreateLogger("Streaming.Bench"), ct);
            results["raw_produce_per_s"] = Math.Round(produce, 0);
            results["raw_consume_per_s"] = Math.Round(consume, 0);
            return Task.CompletedTask;
        });
        await Stage($"topology: alone, {topologyEvents} pre-loaded requests, stream threads {string.Join(" then ", options.TopologyThreads)}", async () =>
        {
            var users = Math.Min(10_000, Math.Max(100, topologyEvents / 10));
            var rates = await TopologyStage.RunAsync(topologyEvents, users, options.TopologyThreads, Loggers, ct);
            results["topology_per_s"] = Math.Round(rates[0], 0);
            for (var i = 1; i < rates.Count; i++)
            {
                results[$"topology_per_s_{options.TopologyThreads[i]}_threads"] = Math.Round(rates[i], 0);
            }
        });
        await Stage($"sender: one (email) alone, {senderEvents} pre-loaded channel messages, SQLite log", async () =>
        {
            results["sender_per_s"] = Math.Round(await SenderStage.RunAsync(senderEvents, DeliveryLogOptions.SqliteStore, Loggers, ct), 0);
        });
        await Stage($"sender: the same on the Cassandra log (local CQL server)", async () =>
        {
            results["sender_cassandra_per_s"] = Math.Round(await SenderStage.RunAsync(senderEvents, DeliveryLogOptions.CassandraStore, Loggers, ct), 0);
        });
        await Stage($"pipeline: {options.Events} requests through the client library, then {options.LatencyRate}/s for {options.LatencySeconds} s ({options.Brokers} broker(s), linger {options.LingerMs} ms)", async () =>
        {
            var r = await new BenchPipeline(options, Loggers).RunAsync(ct);
            results["pipeline_per_s"] = Math.Round(r.PerSecond, 0);
            trimmedConsumed = r.TrimmedConsumed;
            results["pipeline_cpu_us_per_request"] = Math.Round(r.CpuMicrosPerRequest, 0);
            results["pipeline_allocated_kb_per_request"] = Math.Round(r.AllocatedKbPerRequest, 1);
            results["pipeline_gc_pause_percent"] = Math.Round(r.GcPausePercent, 1);
            results["latency_ms"] = new Dictionary<string, double> { ["p50"] = r.LatencyP50, ["p99"] = r.LatencyP99 };
            results["latency_offered_per_s"] = Math.Round(r.OfferedPerSecond, 0);
            results["latency_samples"] = r.LatencySamples;
            results["latency_routed_ms"] = new Dictionary<string, double> { ["p50"] = r.RoutedP50, ["p99"] = r.RoutedP99 };
        });

        results["peak_rss_mb"] = Math.Round(MachineFacts.PeakRssMb(), 0);
        results["events"] = options.Events;
        results["pipeline_settings"] = new Dictionary<string, object> { ["brokers"] = options.Brokers, ["linger_ms"] = options.LingerMs, ["stream_threads"] = options.StreamThreads, ["trim_consumed"] = trimmedConsumed };
        results["stage_events"] = new Dictionary<string, int> { ["raw"] = rawEvents, ["topology"] = topologyEvents, ["sender"] = senderEvents, ["pipeline"] = options.Events };
        results["machine"] = new Dictionary<string, object>
        {
            ["cores"] = Environment.ProcessorCount,
            ["os"] = RuntimeInformation.OSDescription,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["load_average"] = MachineFacts.LoadAverage(),
        };
        results["elapsed_s"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        results["stage_seconds"] = stageSeconds;
        if (failures.Count > 0)
        {
            results["failures"] = failures;
        }

        BenchReport.PrintTable(results);
        if (options.Json is { } file)
        {
            await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), ct);
            BenchReport.Say($"Results written to {file.FullName}");
        }

        if (failures.Count > 0)
        {
            AnsiConsole.MarkupLine("[red]" + Markup.Escape($"bench failed: {string.Join(" | ", failures)}") + "[/]");
            return 1;
        }

        return 0;
    }

}
