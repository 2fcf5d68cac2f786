using System.Text;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Producers;
using Streaming.Testing;

namespace Streaming.Processors.Tests;

/// <summary>The real topology on the embedded cluster, Avro through the local registry, from the producer library to channel topics.</summary>
public sealed class EndToEndTests(LocalStackFixture fx)
{
    [Fact]
    public async Task a_published_request_reaches_the_channel_topics_through_the_running_topology()
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
        };
        // The embedded cluster cannot CreateTopics: the local stack pre-creates the changelogs the same way.
        fx.Cluster.CreateTopics(NotificationTopology.InternalTopics(options.ApplicationId));
        try
        {
            await RunAsync(options, publisherOptions, userId, ct);
        }
        finally
        {
            TryDelete(options.StateDir);
        }
    }

    private async Task RunAsync(ProcessorOptions options, IOptions<NotificationPublisherOptions> publisherOptions, string userId, CancellationToken ct)
    {
        await using var runner = await NotificationTopologyRunner.StartAsync(options, cancellationToken: ct);

        using var publisher = new NotificationPublisher(publisherOptions);
        var receipt = await publisher.PublishAsync(new NotificationRequest
        {
            UserId = userId,
            Category = "social",
            TemplateId = "new-comment",
            Parameters = new Dictionary<string, string> { ["author"] = "Bob", ["snippet"] = "Hi" },
            Channels = [Channels.Push, Channels.Email],
        }, ct);

        // A scheduled one is released by the wall-clock punctuator of the running topology.
        var sendAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var scheduled = await publisher.PublishAsync(new NotificationRequest
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
