using System.CommandLine;
using System.Globalization;
using Streaming.Bench;
using Streaming.LocalStack;

namespace Streaming.Cli;

/// <summary>`streaming bench`: transport ceiling, topology, one sender (on each delivery-log store), the whole pipeline, latency and memory, in one run.</summary>
internal static class BenchCommand
{
    private static readonly string[] KnownStages = ["raw", "topology", "sender", "pipeline"];

    public static Command Create()
    {
        var events = CliOptions.Int("--events", "Requests through the pipeline stage (the other stages use as many as fit the embedded cluster's 5 MiB per partition). --events 1000000 is the memory figure.", 200_000, 1, 10_000_000);
        var json = new Option<FileInfo?>("--json") { Description = "Write the results as JSON to this file." };
        var latencySeconds = CliOptions.Int("--latency-seconds", "How long the latency stage offers its load.", 10, 1, 3600);
        var latencyRate = CliOptions.Int("--latency-rate", "Offered load of the latency stage, requests/s.", 5_000, 1, 1_000_000);
        var threads = CliOptions.Int("--stream-threads", "Stream threads of the topology in the pipeline stage.", 1, 1, 8);
        var topologyThreads = CliOptions.Text("--topology-threads", "Stream-thread counts the topology stage measures, comma-separated (the first is topology_per_s; default 1,2).",
            v => ThreadCounts(v) is null ? "use whole numbers from 1 to 8, comma-separated, e.g. 1,2" : null);
        var brokers = CliOptions.Int("--brokers", "Brokers of the embedded cluster in the pipeline stage (default: the local stack's).", LocalProfile.Brokers, 1, 5);
        var linger = CliOptions.Double("--linger-ms", "linger.ms of every producer in the pipeline stage: publisher, topology, senders (default: the local stack's; librdkafka's is 5).", LocalProfile.LingerMs, 0, 1000);
        var warmup = CliOptions.Int("--warmup", "Requests through the pipeline before its measured run (JIT tiering, caches, connection pools; not counted). 0 measures from cold.", 60_000, 0);
        var keepConsumed = new Option<bool>("--keep-consumed") { Description = "Keep consumed records on the embedded cluster in the pipeline stage (default: deleted every second, like a real cluster's retention; the mock's fetches walk every batch it keeps)." };
        var stages = CliOptions.Text("--stages", "Comma-separated subset of raw,topology,sender,pipeline (default: all; the JSON then lacks the others' keys).",
            v => Stages(v) is null ? $"use a comma-separated subset of {string.Join(",", KnownStages)}" : null);
        var command = new Command("bench", "Measure the platform on the embedded cluster: raw produce/consume, topology alone, one sender alone (SQLite and Cassandra logs), the whole pipeline, end-to-end latency and peak memory.")
        {
            events, json, latencySeconds, latencyRate, threads, topologyThreads, brokers, linger, warmup, keepConsumed, stages,
        };
        command.SetAction((result, ct) => new BenchRunner(new BenchOptions(
            result.GetValue(events),
            result.GetValue(json),
            result.GetValue(latencySeconds),
            result.GetValue(latencyRate),
            result.GetValue(threads),
            ThreadCounts(result.GetValue(topologyThreads) ?? "1,2")!,
            Stages(result.GetValue(stages) ?? string.Join(",", KnownStages))!,
            result.GetValue(brokers),
            result.GetValue(linger),
            result.GetValue(warmup),
            !result.GetValue(keepConsumed))).RunAsync(ct));
        return command;
    }

    private static int[]? ThreadCounts(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var counts = parts.Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 8 ? n : 0).ToArray();
        return counts.Length > 0 && counts.All(n => n > 0) ? counts : null;
    }

    private static string[]? Stages(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length > 0 && parts.All(KnownStages.Contains) ? parts : null;
    }
}
