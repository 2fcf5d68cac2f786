using System.Diagnostics;
using System.Text.Json;
using Streaming.Cli;

namespace Streaming.Cli.Tests;

/// <summary>`streaming bench` at a tiny size: every stage runs, nothing is left unconsumed, every key is in the JSON.</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task bench_with_tiny_events_exits_zero_and_writes_every_key_with_a_positive_number()
    {
        var json = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.json");
        try
        {
            var clock = Stopwatch.StartNew();
            var exit = await CliApp.RunAsync(["bench", "--events", "600", "--latency-seconds", "1", "--latency-rate", "200", "--topology-threads", "1", "--brokers", "1", "--linger-ms", "20", "--json", json], cancellationToken: TestContext.Current.CancellationToken);
            TestContext.Current.SendDiagnosticMessage($"bench took {clock.Elapsed.TotalSeconds:0} s");

            var text = await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken);
            Assert.True(exit == 0, text);
            var r = JsonDocument.Parse(text).RootElement;
            foreach (var key in new[] { "raw_produce_per_s", "raw_consume_per_s", "topology_per_s", "sender_per_s", "sender_cassandra_per_s", "pipeline_per_s", "pipeline_cpu_us_per_request", "pipeline_allocated_kb_per_request", "peak_rss_mb" })
            {
                Assert.True(r.TryGetProperty(key, out var value) && value.GetDouble() > 0, $"{key} missing or not positive: {text}");
            }

            Assert.InRange(r.GetProperty("pipeline_gc_pause_percent").GetDouble(), 0, 100);
            var latency = r.GetProperty("latency_ms");
            Assert.True(latency.GetProperty("p50").GetDouble() > 0, text);
            Assert.True(latency.GetProperty("p99").GetDouble() >= latency.GetProperty("p50").GetDouble(), text);
            Assert.True(r.GetProperty("machine").GetProperty("cores").GetInt32() > 0, text);
            var settings = r.GetProperty("pipeline_settings"); // the pipeline ran as asked, and the JSON says so
            Assert.Equal((1, 20.0, true), (settings.GetProperty("brokers").GetInt32(), settings.GetProperty("linger_ms").GetDouble(), settings.GetProperty("trim_consumed").GetBoolean()));
        }
        finally
        {
            File.Delete(json);
        }
    }
}
