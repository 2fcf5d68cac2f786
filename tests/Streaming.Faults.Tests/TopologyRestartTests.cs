using System.Diagnostics;
using Avro.Specific;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.Processors;
using Streaming.Producers;
using Streaming.Senders;
using Streaming.Senders.Fakes;
using Streaming.Testing;

namespace Streaming.Faults.Tests;

/// <summary>
/// Fault 2: the topology instance goes away mid-stream and a new instance with the same application ID takes over on an
/// empty state folder, so its dedup store can only come from the changelog. The email sender runs the whole time, so the
/// check is end to end: API library → topology → sender → provider fake → delivery log.
/// </summary>
/// <remarks>
/// NotificationTopologyRunner has no abort: Streamiz's KafkaStream.Dispose always stops the threads through a commit. So
/// the "kill" here is a dispose (with whatever was in flight: requests keep arriving, none are drained on purpose) and
/// the restart is a second instance with the same ApplicationId and a fresh StateDir. The topology writes to the contract
/// topics, so the test has its own embedded cluster.
/// </remarks>
public sealed class TopologyRestartTests(LocalStackFixture fx)
{
    [Fact]
    public async Task a_topology_replaced_mid_stream_restores_dedup_from_the_changelog_and_the_provider_sees_each_request_once()
    {
        const int count = 800;
        const double rate = 100;
        const int republished = 40;
        var ct = TestContext.Current.CancellationToken;
        using var cluster = LocalKafkaCluster.Start();
        var work = Path.Combine(Path.GetTempPath(), "faults-tests", Guid.NewGuid().ToString("N"));
        var publisherOptions = Options.Create(new NotificationPublisherOptions
        {
            SourceService = "fault-tests",
            Producer = new() { BootstrapServers = cluster.BootstrapServers, LingerMs = 1 },
            SchemaRegistry = new() { Url = fx.RegistryUrl },
            Catalog = NotificationCatalog.Demo(),
        });
        var users = Enumerable.Range(0, 50).Select(i => $"restart-user-{i:D2}").ToList();
        using (var contacts = new ContactInfoPublisher(publisherOptions))
        {
            foreach (var u in users)
            {
                await contacts.PutUserAsync(u, new UserProfileUpdate { DisplayName = u, Email = $"{u}@example.com", Locale = "en" }, ct);
            }
        }

        var options = new ProcessorOptions
        {
            ApplicationId = "faults-processor-" + Guid.NewGuid().ToString("N")[..8],
            BootstrapServers = cluster.BootstrapServers,
            StateDir = Path.Combine(work, "state-1"),
            SchemaRegistry = new() { Url = fx.RegistryUrl },
            Catalog = NotificationCatalog.Demo(),
            SessionTimeoutMs = 6000, // the replacement is assigned only once the first member's session has expired
        };
        cluster.CreateTopics(NotificationTopology.InternalTopics(options.ApplicationId));

        await using var fakes = await ProviderFakes.StartAsync(faultSpec: "latency=2ms", cancellationToken: ct);
        await using var log = new SqliteDeliveryLog(new DeliveryLogOptions { Path = Path.Combine(work, "log.db") });
        var senderOptions = new ChannelSenderOptions
        {
            Channel = Channels.Email,
            RatePerSecond = 0,
            Consumer = new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, AutoOffsetReset = AutoOffsetReset.Error, SessionTimeoutMs = 6000, AutoCommitIntervalMs = 200 },
            Producer = new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 1 },
            SchemaRegistry = new SchemaRegistryOptions { Url = fx.RegistryUrl },
        };
        await using var sender = new ChannelSender(senderOptions, ProvidersOptions.ForBaseUrl(fakes.BaseUrl, ProviderFakes.ApnsPrivateKeyPem(), fakes.FcmServiceAccountJson()), log);
        await sender.StartAsync(ct);

        using var publisher = new NotificationPublisher(publisherOptions);
        var eventIds = new List<string>();
        NotificationRequest Request(int i) => new()
        {
            UserId = users[i % users.Count],
            Category = "social",
            TemplateId = "new-comment",
            Parameters = new Dictionary<string, string> { ["author"] = "Bob", ["snippet"] = $"#{i}" },
            Channels = [Channels.Email],
        };

        var first = await NotificationTopologyRunner.StartAsync(options, cancellationToken: ct);
        NotificationTopologyRunner? second = null;
        try
        {
            await first.WaitUntilRunningAsync(TimeSpan.FromSeconds(60), ct);
            await sender.Assigned.WaitAsync(TimeSpan.FromSeconds(30), ct);
            var traffic = Task.Run(async () =>
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < count; i++)
                {
                    var due = TimeSpan.FromSeconds(i / rate);
                    if (due > clock.Elapsed)
                    {
                        await Task.Delay(due - clock.Elapsed, ct); // pacing the traffic
                    }

                    var receipt = await publisher.PublishAsync(Request(i), ct);
                    lock (eventIds)
                    {
                        eventIds.Add(receipt.EventId);
                    }
                }
            }, ct);

            await Eventually.TrueAsync(() => sender.Stats.Delivered >= 200, TimeSpan.FromSeconds(30), "requests flow end to end");
            var killedAt = Count(eventIds);
            await first.DisposeAsync(); // the instance goes away while requests keep arriving
            options.StateDir = Path.Combine(work, "state-2"); // nothing local survives: dedup must come from the changelog
            second = await NotificationTopologyRunner.StartAsync(options, cancellationToken: ct);
            await second.WaitUntilRunningAsync(TimeSpan.FromSeconds(60), ct);
            var restartedAt = Count(eventIds);

            // Already-seen event IDs, published again after the restart, are dropped by the restored dedup store.
            List<string> seenBefore;
            lock (eventIds)
            {
                seenBefore = [.. eventIds.Take(republished)];
            }

            for (var i = 0; i < republished; i++)
            {
                await publisher.PublishAsync(Request(i) with { EventId = seenBefore[i] }, ct);
            }

            await traffic.WaitAsync(TimeSpan.FromSeconds(30), ct);
            List<string> all;
            lock (eventIds)
            {
                all = [.. eventIds];
            }

            await Eventually.TrueAsync(() => log.ReadAllAsync(ct).Result.Select(e => e.EventId).Distinct().Count() >= all.Count, TimeSpan.FromSeconds(40), "every request delivered");
            var statuses = ReadAll<DeliveryStatus>(cluster, Topics.DeliveryStatus);
            await Eventually.TrueAsync(
                () => (statuses = ReadAll<DeliveryStatus>(cluster, Topics.DeliveryStatus)).Count(s => s.outcome == "duplicate") >= republished,
                TimeSpan.FromSeconds(20), "the republished event IDs are reported as duplicates");

            var rows = await log.ReadAllAsync(ct);
            var delivered = rows.Where(r => r.Outcome == "delivered").GroupBy(r => r.EventId).ToDictionary(g => g.Key, g => g.Count());
            var emails = ReadAll<ChannelNotification>(cluster, Topics.Email);
            var emailCopies = emails.GroupBy(e => e.eventId).ToDictionary(g => g.Key, g => g.Count());
            var duplicateStatuses = statuses.Where(s => s.outcome == "duplicate").Select(s => s.eventId).ToList();
            var lost = all.Count(id => !delivered.ContainsKey(id));
            var extraEmails = emailCopies.Values.Sum(n => n - 1);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{count} requests at {rate}/s (+{republished} republished IDs); replaced after {killedAt}, new instance running after {restartedAt}; " +
                $"lost={lost} channel-duplicates={extraEmails} duplicate-statuses={duplicateStatuses.Count} provider-duplicates={fakes.Duplicates} skipped-by-sender={sender.Stats.DuplicatesSkipped}");

            Assert.Equal(count, all.Count);
            Assert.Equal(0, lost);
            Assert.All(delivered.Values, n => Assert.Equal(1, n));
            Assert.All(seenBefore, id => Assert.Contains(id, duplicateStatuses)); // state restored: dedup still knows them
            Assert.All(seenBefore, id => Assert.Equal(1, emailCopies[id]));       // and released nothing for them
            // At-least-once bound for the topology: a request can be routed twice only if it was processed after the last
            // commit and its dedup record was not in the changelog yet, i.e. within one commit interval of traffic.
            Assert.InRange(extraEmails, 0, (int)(rate * options.CommitIntervalMs / 1000));
            Assert.Equal(0, fakes.Duplicates); // whatever the topology repeats, the senders' delivery-log check stops
        }
        finally
        {
            if (second is not null)
            {
                await second.DisposeAsync();
            }

            await sender.StopAsync(CancellationToken.None);
            TryDelete(work);
        }
    }

    private static int Count(List<string> ids)
    {
        lock (ids)
        {
            return ids.Count;
        }
    }

    private List<T> ReadAll<T>(LocalKafkaCluster cluster, string topic)
        where T : class, ISpecificRecord
    {
        using var registry = fx.NewRegistryClient();
        var deserializer = AvroSerdes.Deserializer<T>(registry);
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        var ends = Enumerable.Range(0, LocalKafkaCluster.PartitionsPerTopic)
            .Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(5)).High.Value).ToArray();
        consumer.Assign(Enumerable.Range(0, LocalKafkaCluster.PartitionsPerTopic).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var values = new List<T>();
        var expected = ends.Sum();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (values.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false, Message.Value: { } bytes })
            {
                values.Add(deserializer.Deserialize(bytes, false, new SerializationContext(MessageComponentType.Value, topic)));
            }
        }

        return values;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // RocksDB may hold a lock a moment longer; the folder is under the temp path.
        }
    }
}
