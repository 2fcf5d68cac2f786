using Streaming.Senders.Providers;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

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

        var result = await pipeline.SendAsync(TestNotifications.For("sms", "+4915112345678"), TestContext.Current.CancellationToken);

        Assert.Equal((ProviderOutcome.Transient, "provider-exception"), (result.Outcome, result.Reason));
        Assert.Contains("SDK bug", result.Error);
        Assert.Equal(3, provider.Calls);
    }

    [Fact]
    public void retry_tiers_give_each_attempts_delay_then_dead_letter()
    {
        var o = new ChannelSenderOptions { RetryDelays = [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)] };
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), null], new[] { 1, 2, 3 }.Select(a => DeliveryPipeline.Tier(o, a)));
    }
}
