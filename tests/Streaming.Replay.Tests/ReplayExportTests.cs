using System.Text.Json;
using Streaming.Testing;

namespace Streaming.Replay.Tests;

/// <summary>Exporting a slice of a topic: JSON Lines and CSV, bounded by time or offsets, filtered, or only counted.</summary>
public sealed class ReplayExportTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_days_delivery_statuses_export_to_json_lines_with_counts_per_outcome()
    {
        var topic = StatusTopic.Write(fx, out var expected);
        var file = Path.Combine(Path.GetTempPath(), $"replay-{Guid.NewGuid():N}.jsonl");
        try
        {
            var result = await new ReplayJob(new ReplayOptions
            {
                BootstrapServers = fx.BootstrapServers,
                RegistryUrl = fx.RegistryUrl,
                Topic = topic,
                From = StatusTopic.Day,
                To = StatusTopic.Day.AddDays(1),
                Output = file,
            }).RunAsync(ct: TestContext.Current.CancellationToken);

            var lines = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(expected.Values.Sum(), lines.Count);
            Assert.Equal(expected.OrderBy(kv => kv.Key), result.ByOutcome.OrderBy(kv => kv.Key).Select(kv => KeyValuePair.Create(kv.Key, (int)kv.Value)));
            Assert.All(lines, l =>
            {
                var ts = l.GetProperty("timestamp").GetDateTime();
                Assert.InRange(ts, StatusTopic.Day, StatusTopic.Day.AddDays(1).AddTicks(-1));
                Assert.StartsWith("evt-", l.GetProperty("value").GetProperty("eventId").GetString());
            });
            Assert.Equal(0, result.Undecodable);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task filters_combine_and_dry_run_only_counts()
    {
        var topic = StatusTopic.Write(fx, out _);

        var result = await new ReplayJob(new ReplayOptions
        {
            BootstrapServers = fx.BootstrapServers,
            RegistryUrl = fx.RegistryUrl,
            Topic = topic,
            Filter = new ReplayFilter { Outcomes = ["failed"], Channels = ["email"], Users = ["user-3"] },
            DryRun = true,
        }).RunAsync(ct: TestContext.Current.CancellationToken);

        // i % 4 == 2 (failed), i % 3 == 0 (email), i % 7 == 3 (user-3), i < 300
        var expected = Enumerable.Range(0, 300).Count(i => i % 4 == 2 && i % 3 == 0 && i % 7 == 3);
        Assert.Equal(300, result.Read);
        Assert.Equal(expected, result.Matched);
        Assert.Equal(0, result.Written);
        Assert.Equal(expected, result.ByOutcome["failed"]);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task csv_export_has_a_header_and_one_row_per_record_within_explicit_offsets()
    {
        var topic = StatusTopic.Write(fx, out _);
        var file = Path.Combine(Path.GetTempPath(), $"replay-{Guid.NewGuid():N}.csv");
        try
        {
            var result = await new ReplayJob(new ReplayOptions
            {
                BootstrapServers = fx.BootstrapServers,
                RegistryUrl = fx.RegistryUrl,
                Topic = topic,
                Partitions = [1],
                FromOffsets = new Dictionary<int, long> { [1] = 5 },
                ToOffsets = new Dictionary<int, long> { [1] = 15 },
                Output = file,
                Format = ReplayFormat.Csv,
            }).RunAsync(ct: TestContext.Current.CancellationToken);

            var lines = File.ReadAllLines(file);
            Assert.StartsWith("topic,partition,offset,timestamp,key,eventId,userId,channel,target,outcome", lines[0]);
            Assert.Equal(10, lines.Length - 1);
            Assert.Equal(10, result.Written);
            Assert.All(lines.Skip(1), l => Assert.Contains($"{topic},1,", l));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
