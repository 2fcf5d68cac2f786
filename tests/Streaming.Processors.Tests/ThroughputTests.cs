using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Producers;
using Streaming.Testing;

namespace Streaming.Processors.Tests;

/// <summary>
/// A measurement, not a check: records/s the topology sustains on the embedded cluster (4 partitions) with 1 and 2
/// stream threads, from a pre-filled backlog of requests. Explicit, so it runs only when asked:
/// <c>dotnet test tests/Streaming.Processors.Tests --filter FullyQualifiedName~Throughput -- xUnit.Explicit=only</c>.
/// </summary>
public sealed class ThroughputTests(LocalStackFixture fx)
{
    // ~10 000 requests per partition: well inside the mock's ~5 MiB / 100 000 batches per partition.
    private const int Requests = 40_000;
    private const int Users = 1_000;

    [Fact(Explicit = true)]
    public async Task measure_records_per_second_with_one_and_two_stream_threads()
    {
        var ct = TestContext.Current.CancellationToken;
        var publisherOptions = Options.Create(new NotificationPublisherOptions
        {
            SourceService = "bench",
            Producer = new() { BootstrapServers = fx.BootstrapServers },
            SchemaRegistry = new() { Url = fx.RegistryUrl },
        });
        using (var contacts = new ContactInfoPublisher(publisherOptions))
        {
            await Task.WhenAll(Enumerable.Range(0, Users).Select(u => contacts.PutUserAsync($"bench-{u:D4}", new UserProfileUpdate { DisplayName = "B", Email = $"b{u}@example.com" }, ct)));
        }

        await ProduceBacklogAsync(ct);

        foreach (var threads in new[] { 1, 2 })
        {
            var (rate, total) = await RunAsync(threads, ct);
            TestContext.Current.SendDiagnosticMessage($"threads={threads}: {rate:F0} records/s ({Requests} requests, {total.TotalSeconds:F1} s from first to last output)");
            File.AppendAllText(Path.Combine(Path.GetTempPath(), "processors-throughput.txt"), $"{DateTime.UtcNow:O} threads={threads} rate={rate:F0}/s total={total.TotalSeconds:F1}s\n");
        }
    }

    private async Task ProduceBacklogAsync(CancellationToken ct)
    {
        using var registry = fx.NewRegistryClient();
        var serializer = AvroSerdes.Serializer<NotificationRequested>(registry);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = fx.BootstrapServers, LingerMs = 5, EnableIdempotence = true }).Build();
        var context = new SerializationContext(MessageComponentType.Value, Topics.Requested);
        var now = DateTime.UtcNow;
        for (var i = 0; i < Requests; i++)
        {
            var userId = $"bench-{i % Users:D4}";
            var value = await serializer.SerializeAsync(new NotificationRequested
            {
                eventId = $"bench-evt-{i:D8}",
                userId = userId,
                category = "social",
                priority = "normal",
                channels = [Channels.Email],
                templateId = "new-comment",
                templateParameters = new Dictionary<string, string> { ["author"] = "Bob", ["snippet"] = "Nice!" },
                sourceService = "bench",
                createdAt = now,
            }, context);
            producer.Produce(Topics.Requested, new Message<string, byte[]> { Key = userId, Value = value });
            if (i % 5000 == 0)
            {
                // Bound the rate: the mock silently drops batches a reader has not reached yet (docs/architecture.md, "The local stack").
                producer.Flush(ct);
            }
        }

        producer.Flush(ct);
    }

    private async Task<(double Rate, TimeSpan Total)> RunAsync(int threads, CancellationToken ct)
    {
        var baseline = fx.RecordCount(Topics.Email);
        var options = new ProcessorOptions
        {
            ApplicationId = $"bench-{threads}-{Guid.NewGuid():N}"[..24],
            BootstrapServers = fx.BootstrapServers,
            NumStreamThreads = threads,
            StateDir = Path.Combine(Path.GetTempPath(), "processors-tests", Guid.NewGuid().ToString("N")),
            SchemaRegistry = new() { Url = fx.RegistryUrl },
            Catalog = NotificationCatalog.Demo(),
        };
        fx.Cluster.CreateTopics(NotificationTopology.InternalTopics(options.ApplicationId));
        await using var runner = await NotificationTopologyRunner.StartAsync(options, cancellationToken: ct);

        await Eventually.TrueAsync(() => fx.RecordCount(Topics.Email) > baseline, TimeSpan.FromSeconds(60), "first output");
        var first = Stopwatch.StartNew();
        var firstCount = fx.RecordCount(Topics.Email) - baseline;
        await Eventually.TrueAsync(() => fx.RecordCount(Topics.Email) - baseline >= Requests, TimeSpan.FromMinutes(5), "all outputs");
        var elapsed = first.Elapsed;
        return ((Requests - firstCount) / elapsed.TotalSeconds, elapsed);
    }
}
