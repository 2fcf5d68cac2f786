using System.CommandLine;
using Streaming.LocalStack;

namespace Streaming.Bench;

/// <summary>`streaming bench`: transport ceiling, topology, one sender, the whole pipeline, latency and memory, in one run.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var events = new Option<int>("--events") { Description = "Requests through the pipeline stage (the other stages use as many as fit the embedded cluster's 5 MiB per partition). --events 1000000 is the memory figure.", DefaultValueFactory = _ => 200_000 };
        var json = new Option<FileInfo?>("--json") { Description = "Write the results as JSON to this file." };
        var latencySeconds = new Option<int>("--latency-seconds") { Description = "How long the latency stage offers its load.", DefaultValueFactory = _ => 10 };
        var latencyRate = new Option<int>("--latency-rate") { Description = "Offered load of the latency stage, requests/s.", DefaultValueFactory = _ => 5_000 };
        var threads = new Option<int>("--stream-threads") { Description = "Stream threads of the topology in the pipeline stage.", DefaultValueFactory = _ => 1 };
        var topologyThreads = new Option<string>("--topology-threads") { Description = "Stream-thread counts the topology stage measures, comma-separated (the first is topology_per_s).", DefaultValueFactory = _ => "1,2" };
        var brokers = new Option<int>("--brokers") { Description = "Brokers of the embedded cluster in the pipeline stage (default: the local stack's).", DefaultValueFactory = _ => LocalProfile.Brokers };
        var linger = new Option<double>("--linger-ms") { Description = "linger.ms of every producer in the pipeline stage: publisher, topology, senders (default: the local stack's; librdkafka's is 5).", DefaultValueFactory = _ => LocalProfile.LingerMs };
        var warmup = new Option<int>("--warmup") { Description = "Requests through the pipeline before its measured run (JIT tiering, caches, connection pools; not counted). 0 measures from cold.", DefaultValueFactory = _ => 60_000 };
        var keepConsumed = new Option<bool>("--keep-consumed") { Description = "Keep consumed records on the embedded cluster in the pipeline stage (default: deleted every second, like a real cluster's retention; the mock's fetches walk every batch it keeps)." };
        var stages = new Option<string>("--stages") { Description = "Comma-separated subset of raw,topology,sender,pipeline (default: all; the JSON then lacks the others' keys).", DefaultValueFactory = _ => "raw,topology,sender,pipeline" };
        var command = new Command("bench", "Measure the platform on the embedded cluster: raw produce/consume, topology alone, one sender alone, the whole pipeline, end-to-end latency and peak memory.")
        {
            events, json, latencySeconds, latencyRate, threads, topologyThreads, brokers, linger, warmup, keepConsumed, stages,
        };
        command.SetAction((result, ct) => new BenchRunner(new BenchOptions(
            Math.Max(1, result.GetValue(events)),
            result.GetValue(json),
            Math.Max(1, result.GetValue(latencySeconds)),
            Math.Max(1, result.GetValue(latencyRate)),
            Math.Clamp(result.GetValue(threads), 1, 8),
            [.. result.GetValue(topologyThreads)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => Math.Clamp(int.Parse(t, System.Globalization.CultureInfo.InvariantCulture), 1, 8))],
            [.. result.GetValue(stages)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            Math.Clamp(result.GetValue(brokers), 1, 5),
            Math.Clamp(result.GetValue(linger), 0, 1000),
            Math.Max(0, result.GetValue(warmup)),
            !result.GetValue(keepConsumed))).RunAsync(ct));
        return command;
    }
}
