using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Producers;
using Streaming.Testing;

namespace Streaming.Processors.Tests;

/// <summary>The real topology on the embedded cluster, Avro through the local registry, from the producer library to channel topics.</summary>
public sealed class EndToEndTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task published_requests_reach_the_channel_topics_and_dedup_survives_a_restart_from_the_changelog()
    {
        var ct = TestContext.Current.CancellationToken;
        var publisherOptions = Options.Create(new NotificationPublisherOptions
        {
            SourceService = "e2e-tests",
            Producer = new() { BootstrapServers = fx.BootstrapServers },
            SchemaRegistry = new() { Url = fx.RegistryUrl },
            Catalog = NotificationCatalog.Demo(),
        });
        var userId = "e2e-" + Guid.NewGuid().ToString("N")[..12];
        using (var contacts = new ContactInfoPublisher(publisherOptions))
        {
            await contacts.PutUserAsync(userId, new UserProfileUpdate { DisplayName = "Eve", Email = "eve@example.com", Locale = "en" }, ct);
            await contacts.PutDeviceAsync(userId, "e2e-ios-token-1", new DeviceRegistration { Platform = "ios", App = "com.example.app" }, ct);
            await contacts.PutPreferencesAsync(userId, new PreferencesUpdate { Rules = [new ChannelRuleUpdate("social", Channels.Sms, false)] }, ct);
        }

        var options = new ProcessorOptions
        {
            ApplicationId = "e2e-processor-" + Guid.NewGuid().ToString("N")[..8],
            BootstrapServers = fx.BootstrapServers,
            StateDir = Path.Combine(Path.GetTempPath(), "processors-tests", Guid.NewGuid().ToString("N")),
            SchemaRegistry = new() { Url = fx.RegistryUrl },
            Catalog = NotificationCatalog.Demo(),
            SessionTimeoutMs = 6000, // the restart below must not wait 45 s for the first member's session to expire
        };
        // The embedded cluster cannot CreateTopics: the local stack pre-creates the changelogs the same way.
        fx.Cluster.CreateTopics(NotificationTopology.InternalTopics(options.ApplicationId));
        var firstStateDir = options.StateDir;
        var restartStateDir = Path.Combine(Path.GetTempPath(), "processors-tests", Guid.NewGuid().ToString("N"));
        using var publisher = new NotificationPublisher(publisherOptions);
        var request = new NotificationRequest
        {
            UserId = userId,
            Category = "social",
            TemplateId = "new-comment",
            Parameters = new Dictionary<string, string> { ["author"] = "Bob", ["snippet"] = "Hi" },
            Channels = [Channels.Push, Channels.Email],
        };
        try
        {
            PublishReceipt receipt, scheduled;
            NotificationTopologyRunner first;
            await using (var runner = await NotificationTopologyRunner.StartAsync(options, cancellationToken: ct))
            {
                first = runner;
                Assert.True(runner.OpenAdminClients() > 0); // the count sees Streamiz's admin clients at all
                // Running = partitions assigned (a new group takes ~3 s on the mock): only then is "3 s from now" still ahead.
                await runner.WaitUntilRunningAsync(TimeSpan.FromSeconds(60), ct);
                receipt = await publisher.PublishAsync(request, ct);

                // A scheduled one is released by the wall-clock punctuator of the running topology.
                var sendAt = DateTimeOffset.UtcNow.AddSeconds(3);
                scheduled = await publisher.PublishAsync(new NotificationRequest
                {
                    UserId = userId,
                    Category = "billing",
                    TemplateId = "invoice-ready",
                    Parameters = new Dictionary<string, string> { ["invoice"] = "INV-1", ["amount"] = "1 EUR" },
                    Channels = [Channels.Email],
                    SendAt = sendAt,
                }, ct);

                var emails = fx.Read<ChannelNotification>(Topics.Email, 2, TimeSpan.FromSeconds(60));
                Assert.Equal([receipt.EventId, scheduled.EventId], emails.Select(e => e.Value!.eventId));
                Assert.True(emails[1].Value!.routedAt >= sendAt.AddMilliseconds(-1).UtcDateTime, "released no earlier than sendAt (Avro keeps milliseconds)");
                var email = emails[0];
                Assert.Equal(userId, email.Raw.Message.Key);
                Assert.Equal((receipt.EventId, "eve@example.com", "Bob commented on your post: Hi"), (email.Value!.eventId, email.Value.target, email.Value.body));
                Assert.Equal(receipt.EventId, Encoding.UTF8.GetString(email.Raw.Message.Headers.GetLastBytes(HeaderNames.EventId)));
                var push = Assert.Single(fx.Read<ChannelNotification>(Topics.PushApns, 1, TimeSpan.FromSeconds(10)));
                Assert.Equal(("e2e-ios-token-1", "New comment"), (push.Value!.target, push.Value.title));
                Assert.True(runner.Running.IsCompletedSuccessfully);

                // The stall watchdog's signal exists and moves while the topology runs (it would never fire otherwise).
                var polls = runner.PollCount();
                Assert.NotNull(polls);
                await Eventually.TrueAsync(() => runner.PollCount() > polls, TimeSpan.FromSeconds(10), "the stream thread's poll count grows");
                Assert.Equal(0, runner.Restarts);
            }

            // Streamiz never disposes the global-table thread's admin client; the runner does, once the instance is disposed.
            Assert.Equal(0, first.OpenAdminClients());

            // Restart on an empty state folder: the dedup store is restored from its changelog on the embedded
            // cluster, so a replayed eventId is still a duplicate, and the committed offsets skip what was done.
            options.StateDir = restartStateDir;
            await using (var restarted = await NotificationTopologyRunner.StartAsync(options, cancellationToken: ct))
            {
                await publisher.PublishAsync(request with { EventId = receipt.EventId }, ct);
                var fresh = await publisher.PublishAsync(request with { Channels = [Channels.Email] }, ct);

                var emails = fx.Read<ChannelNotification>(Topics.Email, 3, TimeSpan.FromSeconds(60));
                Assert.Equal(fresh.EventId, emails[2].Value!.eventId);
                var read = fx.Read<DeliveryStatus>(Topics.DeliveryStatus, 2, TimeSpan.FromSeconds(20));
                var statuses = read.Select(s => s.Value!).ToList();
                // Keyed by eventId, so no order across partitions: the held request's status, and the replay's.
                Assert.Equal(scheduled.EventId, Assert.Single(statuses, s => s.outcome == "scheduled").eventId);
                Assert.Equal(receipt.EventId, Assert.Single(statuses, s => s.outcome == "duplicate").eventId);

                // Placed by key like the senders' statuses (the producer's default partitioner), not on the request's
                // partition: every status of one event is on one partition, in order, whoever wrote it.
                using var probe = new ProducerBuilder<string, byte[]?>(new ProducerConfig { BootstrapServers = fx.BootstrapServers }).Build();
                foreach (var status in read)
                {
                    var placed = await probe.ProduceAsync("e2e-partition-probe", new Message<string, byte[]?> { Key = status.Raw.Message.Key }, ct);
                    Assert.Equal(placed.Partition.Value, status.Raw.Partition.Value);
                }
            }
        }
        finally
        {
            TryDelete(firstStateDir);
            TryDelete(restartStateDir);
        }
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
