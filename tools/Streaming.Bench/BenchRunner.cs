using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Streaming.Bench;

/// <summary>
/// `streaming bench`: every stage on its own fresh embedded cluster, one after another in this process, then a table and
/// the JSON file. Any record a stage produced that was never consumed (lag left over, or counts that differ) fails the
/// run with a non-zero exit naming the topic or group.
/// </summary>
internal sealed class BenchRunner(BenchOptions options)
{
    // Process-wide and never disposed, like LocalStackRunner's: Streamiz keeps the first topology's logger factory in a static.
    private static readonly ILoggerFactory Loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
        .AddFilter("Microsoft.AspNetCore", LogLevel.Error));

    /// <summary>
    /// Disposes with a deadline: on the embedded cluster a Streamiz consumer's close has been seen to hang for good inside
    /// librdkafka (rebalance_protocol called from the revoke callback during consumer_close). The measurement is taken by
    /// then, so the bench says so and moves on instead of hanging.
    /// </summary>
    public static async Task DisposeWithinAsync(Func<ValueTask> dispose, string what)
    {
        var disposing = Task.Run(async () => await dispose());
        if (await Task.WhenAny(disposing, Task.Delay(TimeSpan.FromSeconds(30))) != disposing)
        {
            Say($"warning: {what} did not stop within 30 s (a known librdkafka close hang on the embedded cluster); moving on.");
        }
        else
        {
            await disposing;
        }
    }

    public static double Rate(long records, TimeSpan elapsed) => Math.Round(records / Math.Max(0.001, elapsed.TotalSeconds), 0);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var results = new Dictionary<string, object>(StringComparer.Ordinal);
        var trimmedConsumed = false; // set by the pipeline stage: whether the embedded cluster deleted consumed records
        var failures = new List<string>();
        var stageSeconds = new Dictionary<string, double>(StringComparer.Ordinal);
        var rawEvents = Math.Min(options.Events, 200_000);
        var topologyEvents = Math.Min(options.Events, BenchStages.TopologyBacklogMax);
        var senderEvents = Math.Min(options.Events, BenchStages.SenderBacklogMax);
        var clock = Stopwatch.StartNew();

        async Task Stage(string name, Func<Task> run)
        {
            if (!options.Stages.Contains(name.Split(' ', ':')[0], StringComparer.OrdinalIgnoreCase))
            {
                return;
            }

            Say($"[{clock.Elapsed:mm\\:ss}] {name}…");
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

        await Stage($"raw: transport, {rawEvents} records of 300 bytes, 4 partitions", async () =>
        {
            var (produce, consume) = await BenchStages.RawAsync(rawEvents, Loggers.CreateLogger("Streaming.Bench"), ct);
            results["raw_produce_per_s"] = Math.Round(produce, 0);
            results["raw_consume_per_s"] = Math.Round(consume, 0);
        });
        await Stage($"topology: alone, {topologyEvents} pre-loaded requests, stream threads {string.Join(" then ", options.TopologyThreads)}", async () =>
        {
            var users = Math.Min(10_000, Math.Max(100, topologyEvents / 10));
            var rates = await BenchStages.TopologyAsync(topologyEvents, users, options.TopologyThreads, Loggers, ct);
            results["topology_per_s"] = Math.Round(rates[0], 0);
            for (var i = 1; i < rates.Count; i++)
            {
                results[$"topology_per_s_{options.TopologyThreads[i]}_threads"] = Math.Round(rates[i], 0);
            }
        });
        await Stage($"sender: one (email) alone, {senderEvents} pre-loaded channel messages", async () =>
        {
            results["sender_per_s"] = Math.Round(await BenchStages.SenderAsync(senderEvents, Loggers, ct), 0);
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

        results["peak_rss_mb"] = Math.Round(PeakRssMb(), 0);
        results["events"] = options.Events;
        results["pipeline_settings"] = new Dictionary<string, object> { ["brokers"] = options.Brokers, ["linger_ms"] = options.LingerMs, ["stream_threads"] = options.StreamThreads, ["trim_consumed"] = trimmedConsumed };
        results["stage_events"] = new Dictionary<string, int> { ["raw"] = rawEvents, ["topology"] = topologyEvents, ["sender"] = senderEvents, ["pipeline"] = options.Events };
        results["machine"] = new Dictionary<string, object>
        {
            ["cores"] = Environment.ProcessorCount,
            ["os"] = RuntimeInformation.OSDescription,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["load_average"] = LoadAverage(),
        };
        results["elapsed_s"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        results["stage_seconds"] = stageSeconds;
        if (failures.Count > 0)
        {
            results["failures"] = failures;
        }

        PrintTable(results);
        if (options.Json is { } file)
        {
            await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), ct);
            Say($"Results written to {file.FullName}");
        }

        if (failures.Count > 0)
        {
            AnsiConsole.MarkupLine("[red]" + Markup.Escape($"bench failed: {string.Join(" | ", failures)}") + "[/]");
            return 1;
        }

        return 0;
    }

    private static void PrintTable(Dictionary<string, object> r)
    {
        string Get(string key) => r.TryGetValue(key, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture)! : "—";
        var latency = r.TryGetValue("latency_ms", out var l) ? (Dictionary<string, double>)l : null;
        double Raw(string key) => r.TryGetValue(key, out var v) ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : 0;
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]streaming bench[/]");
        table.AddColumn("key").AddColumn(new TableColumn("value").RightAligned()).AddColumn("target / note");
        table.AddRow("raw_produce_per_s", Get("raw_produce_per_s"), "transport ceiling: idempotent acks=all, linger 5 ms");
        table.AddRow("raw_consume_per_s", Get("raw_consume_per_s"), "one assigned consumer, 4 partitions");
        table.AddRow("topology_per_s", Get("topology_per_s"), "first stream-thread count" + (r.ContainsKey("topology_per_s_2_threads") ? $" (2 threads: {Get("topology_per_s_2_threads")})" : ""));
        table.AddRow("sender_per_s", Get("sender_per_s"), "one email sender, fake at zero latency, SQLite log");
        var share = Raw("raw_consume_per_s") > 0 ? Raw("pipeline_per_s") / Raw("raw_consume_per_s") : 0;
        table.AddRow("pipeline_per_s", Get("pipeline_per_s"), $"≥ 25 000 and ≥ 0.10 × raw consume (here {share:0.000} ×)");
        table.AddRow("  process CPU per request", r.ContainsKey("pipeline_cpu_us_per_request") ? $"{Get("pipeline_cpu_us_per_request")} µs" : "—", $"{Environment.ProcessorCount} cores allow {(Raw("pipeline_cpu_us_per_request") > 0 ? Environment.ProcessorCount * 1e6 / Raw("pipeline_cpu_us_per_request") : 0):0}/s at full use");
        table.AddRow("  managed allocation, GC pauses", r.ContainsKey("pipeline_gc_pause_percent") ? $"{Get("pipeline_allocated_kb_per_request")} KB, {Get("pipeline_gc_pause_percent")} %" : "—", "per request; share of the run's wall time the GC held threads");
        table.AddRow("latency_ms p50 / p99", latency is null ? "—" : $"{latency["p50"]} / {latency["p99"]}", $"p99 ≤ 250 at {Get("latency_offered_per_s")}/s offered");
        var routed = r.TryGetValue("latency_routed_ms", out var rl) ? (Dictionary<string, double>)rl : null;
        table.AddRow("  of which created → routed", routed is null ? "—" : $"{routed["p50"]} / {routed["p99"]}", "publish + topology hop; the rest is the sender hop");
        table.AddRow("peak_rss_mb", Get("peak_rss_mb"), "≤ 1 024 at --events 1000000");
        AnsiConsole.Write(table);
        Say($"{Get("events")} events, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, load average {LoadAverage()}, {Get("elapsed_s")} s");
    }

    /// <summary>VmHWM (peak resident set) on Linux; the process's peak working set elsewhere.</summary>
    private static double PeakRssMb()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }
        catch (IOException)
        {
            // not Linux
        }
        catch (UnauthorizedAccessException)
        {
            // the same
        }

        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    public static void Say(string text) => AnsiConsole.MarkupLine("[grey]" + Markup.Escape(text) + "[/]");
}
