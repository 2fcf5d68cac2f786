using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Streaming.DeliveryLog;
using Streaming.ProviderFakes;
using Streaming.Senders.Providers;

namespace Streaming.Senders.Tests;

public sealed class UnitTests
{
    [Fact]
    public void fault_spec_parses_rates_durations_switches_and_rejects_unknown_keys()
    {
        var f = FaultSpec.Parse("error=0.2, latency=50ms, 429=0.05, retry-after=2s, outage=on, fail-first=3, invalid-prefix=bad");
        Assert.Equal((0.2, 0.05, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2), true, 3, "bad"),
            (f.ErrorRate, f.TooManyRequestsRate, f.Latency, f.RetryAfter, f.Outage, f.FailFirst, f.InvalidPrefix));
        Assert.Equal(0, FaultSpec.Parse("none").ErrorRate);
        Assert.Throws<FormatException>(() => FaultSpec.Parse("errors=0.1"));
        Assert.Throws<FormatException>(() => FaultSpec.Parse("error=2"));
    }

    [Fact]
    public void targets_are_masked_in_logs()
    {
        Assert.Equal("j***@example.com", Pii.Mask("jane.doe@example.com"));
        Assert.Equal("+49*********78", Pii.Mask("+4915112345678"));
        Assert.Equal("a0b1c2…(24)", Pii.Mask("a0b1c2d3e4f5a0b1c2d3e4f5"));
    }

    [Fact]
    public void apns_id_is_the_event_id_when_it_is_a_uuid_and_a_stable_uuid_otherwise()
    {
        var g = Guid.NewGuid().ToString();
        Assert.Equal(g, ApnsProvider.ApnsId(g));
        Assert.Equal(ApnsProvider.ApnsId("evt-42"), ApnsProvider.ApnsId("evt-42"));
        Assert.True(Guid.TryParse(ApnsProvider.ApnsId("evt-42"), out _));
    }

    [Fact]
    public void options_bind_kafka_sections_and_configured_retry_tiers_replace_the_defaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:Consumer:BootstrapServers"] = "k:9092",
            ["Kafka:Consumer:AutoOffsetReset"] = "Error",
            ["Kafka:Producer:BootstrapServers"] = "k:9092",
            ["SchemaRegistry:Url"] = "http://r:8081",
            ["Senders:sms:RetryDelays:0"] = "00:00:01",
            ["Senders:sms:RetryDelays:1"] = "00:00:05",
            ["Senders:sms:RatePerSecond"] = "25",
            ["Senders:Channels"] = "sms, email",
        }).Build();

        var o = SendersServiceCollectionExtensions.ChannelSenderOptionsFrom(configuration, "sms");

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)], o.RetryDelays);
        Assert.Equal(25, o.RatePerSecond);
        Assert.Equal(("k:9092", AutoOffsetReset.Error), (o.Consumer.BootstrapServers, o.Consumer.AutoOffsetReset));
        Assert.Equal(("senders-sms", "notifications.sms", "notifications.sms.retry"), (o.ResolvedGroupId, o.ResolvedTopic, o.ResolvedRetryTopic));
        Assert.Equal(["sms", "email"], SendersServiceCollectionExtensions.SelectedChannels(configuration));
        Assert.Empty(o.Validate());
    }

    [Fact]
    public void retry_tiers_give_each_attempts_delay_then_dead_letter()
    {
        var o = new ChannelSenderOptions { RetryDelays = [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)] };
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), null], new[] { 1, 2, 3 }.Select(a => DeliveryPipeline.Tier(o, a)));
    }
}

public sealed class HostingTests
{
    [Fact]
    public async Task add_channel_senders_registers_one_hosted_sender_per_selected_channel_sharing_one_log()
    {
        var dir = Path.Combine(Path.GetTempPath(), "senders-tests", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["channel"] = "sms,email",
            ["Kafka:Consumer:BootstrapServers"] = "127.0.0.1:1",
            ["Kafka:Producer:BootstrapServers"] = "127.0.0.1:1",
            ["SchemaRegistry:Url"] = "http://127.0.0.1:1",
            ["DeliveryLog:Path"] = Path.Combine(dir, "log.db"),
            ["Providers:Twilio:AccountSid"] = "AC1",
            ["Providers:Twilio:AuthToken"] = "token",
            ["Providers:Twilio:From"] = "+15005550006",
            ["Providers:SendGrid:ApiKey"] = "SG.key",
            ["Providers:SendGrid:FromEmail"] = "noreply@example.com",
            ["Senders:email:Enabled"] = "true",
        }).Build();
        var services = new ServiceCollection().AddChannelSenders(configuration);

        await using (var provider = services.BuildServiceProvider())
        {
            var hosted = provider.GetServices<IHostedService>().Cast<ChannelSender>().ToList();
            Assert.Equal(["sms", "email"], hosted.Select(s => s.Channel));
            Assert.Equal("senders-email", hosted[1].Options.ResolvedGroupId);
        }

        Directory.Delete(dir, recursive: true);
    }
}

public sealed class ClientTeardownTests
{
    [Fact]
    public void a_call_that_does_not_return_is_abandoned_at_the_deadline_on_a_background_thread()
    {
        using var release = new ManualResetEventSlim();
        var background = false;
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var finished = ClientTeardown.Run(() =>
        {
            background = Thread.CurrentThread.IsBackground;
            release.Wait(TimeSpan.FromSeconds(30));
        }, TimeSpan.FromMilliseconds(300), "test-teardown");

        watch.Stop();
        release.Set();
        Assert.False(finished);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(20));
        Assert.True(background, "an abandoned call on a foreground thread would keep the process from exiting");
    }

    [Fact]
    public void a_call_that_returns_in_time_reports_it_and_its_exception_reaches_the_caller()
    {
        var ran = 0;
        Assert.True(ClientTeardown.Run(() => ran++, TimeSpan.FromSeconds(20), "test-teardown"));
        Assert.Equal(1, ran);

        var e = Assert.Throws<KafkaException>(() => ClientTeardown.Run(
            () => throw new KafkaException(ErrorCode.Local_Fail), TimeSpan.FromSeconds(20), "test-teardown"));
        Assert.Equal(ErrorCode.Local_Fail, e.Error.Code);
    }
}

public sealed class DeliveryPipelineTests
{
    private sealed class ThrowingProvider : INotificationProvider
    {
        public int Calls;

        public string Name => "throwing";

        public Task<ProviderResult> SendAsync(Streaming.Contracts.ChannelNotification notification, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            throw new InvalidOperationException("SDK bug");
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task an_unclassified_provider_exception_is_a_transient_result_retried_in_place()
    {
        var provider = new ThrowingProvider();
        using var pipeline = new DeliveryPipeline(provider, new ChannelSenderOptions
        {
            Channel = "sms",
            InPlaceRetries = 2,
            InPlaceBaseDelay = TimeSpan.FromMilliseconds(1),
            RatePerSecond = 0,
        }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var result = await pipeline.SendAsync(SenderHarness.Notification("sms", "+4915112345678"), TestContext.Current.CancellationToken);

        Assert.Equal((ProviderOutcome.Transient, "provider-exception"), (result.Outcome, result.Reason));
        Assert.Contains("SDK bug", result.Error);
        Assert.Equal(3, provider.Calls);
    }
}

public sealed class DeliveryLogTests
{
    [Fact]
    public async Task was_delivered_answers_from_committed_delivered_rows_only_while_appends_and_lookups_interleave()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Path.Combine(Path.GetTempPath(), "senders-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using var log = new SqliteDeliveryLog(new DeliveryLogOptions { Path = Path.Combine(directory, "log.db"), BatchSize = 16 });
            await log.AppendAsync(new DeliveryLogEntry("e-1", "sms", "+15550001", "delivered", 1, "u-1"), ct);
            await log.AppendAsync(new DeliveryLogEntry("e-2", "sms", "+15550002", "retrying", 1, "u-2"), ct);

            Assert.True(await log.WasDeliveredAsync("e-1", "sms", "+15550001", ct));
            Assert.False(await log.WasDeliveredAsync("e-1", "email", "+15550001", ct)); // another channel
            Assert.False(await log.WasDeliveredAsync("e-1", "sms", "+15550009", ct)); // another target
            Assert.False(await log.WasDeliveredAsync("e-2", "sms", "+15550002", ct)); // not a delivery

            // Many lookups and appends at once (they share the writer's queue): every appended delivery is found after
            // its append completed, and a key never appended is never found.
            var work = Enumerable.Range(0, 300).Select(async i =>
            {
                await log.AppendAsync(new DeliveryLogEntry($"c-{i}", "email", $"u{i}@example.com", "delivered", 1, $"u-{i}"), ct);
                return (await log.WasDeliveredAsync($"c-{i}", "email", $"u{i}@example.com", ct), await log.WasDeliveredAsync($"c-{i}", "email", "nobody@example.com", ct));
            });
            var answers = await Task.WhenAll(work);
            Assert.All(answers, a => Assert.Equal((true, false), a));
            Assert.Equal(302, (await log.ReadAllAsync(ct)).Count);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
