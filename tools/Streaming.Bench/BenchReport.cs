using System.Globalization;
using System.Runtime.InteropServices;
using Spectre.Console;

namespace Streaming.Bench;

/// <summary>What the bench shows on the console: progress lines and the results table with each figure's target.</summary>
internal static class BenchReport
{
    public static void Say(string text) => AnsiConsole.MarkupLine("[grey]" + Markup.Escape(text) + "[/]");

    public static void PrintTable(Dictionary<string, object> r)
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
        table.AddRow("sender_cassandra_per_s", Get("sender_cassandra_per_s"), "the same sender on the Cassandra log (local CQL server)");
        var share = Raw("raw_consume_per_s") > 0 ? Raw("pipeline_per_s") / Raw("raw_consume_per_s") : 0;
        table.AddRow("pipeline_per_s", Get("pipeline_per_s"), $"≥ 25 000 and ≥ 0.10 × raw consume (here {share:0.000} ×)");
        table.AddRow("  process CPU per request", r.ContainsKey("pipeline_cpu_us_per_request") ? $"{Get("pipeline_cpu_us_per_request")} µs" : "—", $"{Environment.ProcessorCount} cores allow {(Raw("pipeline_cpu_us_per_request") > 0 ? Environment.ProcessorCount * 1e6 / Raw("pipeline_cpu_us_per_request") : 0):0}/s at full use");
        table.AddRow("  managed allocation, GC pauses", r.ContainsKey("pipeline_gc_pause_percent") ? $"{Get("pipeline_allocated_kb_per_request")} KB, {Get("pipeline_gc_pause_percent")} %" : "—", "per request; share of the run's wall time the GC held threads");
        table.AddRow("latency_ms p50 / p99", latency is null ? "—" : $"{latency["p50"]} / {latency["p99"]}", $"p99 ≤ 250 at {Get("latency_offered_per_s")}/s offered");
        var routed = r.TryGetValue("latency_routed_ms", out var rl) ? (Dictionary<string, double>)rl : null;
        table.AddRow("  of which created → routed", routed is null ? "—" : $"{routed["p50"]} / {routed["p99"]}", "publish + topology hop; the rest is the sender hop");
        table.AddRow("peak_rss_mb", Get("peak_rss_mb"), "≤ 1 024 at --events 1000000");
        AnsiConsole.Write(table);
        Say($"{Get("events")} events, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, load average {MachineFacts.LoadAverage()}, {Get("elapsed_s")} s");
    }
}
