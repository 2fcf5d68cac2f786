using System.Diagnostics;
using System.Threading.RateLimiting;
using Streaming.Contracts;
using Streaming.Senders.Providers;

namespace Streaming.Senders;

/// <summary>
/// One provider call as the <see cref="DeliveryPipeline"/> makes it: held while a Retry-After is in force for the
/// account, paced by a token bucket (<see cref="ChannelSenderOptions.RatePerSecond"/>), with exceptions turned into
/// transient results and the call's duration recorded.
/// </summary>
internal sealed class ThrottledProvider : IDisposable
{
    private readonly INotificationProvider provider;
    private readonly TimeProvider time;
    private readonly RateLimiter? limiter;
    private readonly KeyValuePair<string, object?> channelTag;
    private long pausedUntilTicks;

    public ThrottledProvider(INotificationProvider provider, ChannelSenderOptions options, TimeProvider time)
    {
        this.provider = provider;
        this.time = time;
        channelTag = new("channel", options.Channel);
        if (options.RatePerSecond > 0)
        {
            // Refill every 10 ms so the rate is smooth rather than one burst per second.
            var perPeriod = Math.Max(1, (int)Math.Round(options.RatePerSecond / 100));
            limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(perPeriod, (int)Math.Ceiling(options.RatePerSecond / 10)),
                TokensPerPeriod = perPeriod,
                ReplenishmentPeriod = TimeSpan.FromMilliseconds(10.0 * perPeriod / (options.RatePerSecond / 100)),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }
    }

    public async Task<ProviderResult> SendAsync(ChannelNotification notification, CancellationToken ct)
    {
        var pausedUntil = new DateTimeOffset(Interlocked.Read(ref pausedUntilTicks), TimeSpan.Zero);
        var now = time.GetUtcNow();
        if (pausedUntil > now)
        {
            await Task.Delay(pausedUntil - now, time, ct).ConfigureAwait(false);
        }

        if (limiter is not null)
        {
            using var lease = await limiter.AcquireAsync(1, ct).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        var result = await CallAsync(notification, ct).ConfigureAwait(false);
        SenderMetrics.ProviderDurationHistogram.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            channelTag, new("provider", provider.Name), new("result", result.Outcome.ToString().ToLowerInvariant()));
        if (result.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
        {
            PauseFor(retryAfter);
        }

        return result;
    }

    public void Dispose() => limiter?.Dispose();

    private async Task<ProviderResult> CallAsync(ChannelNotification notification, CancellationToken ct)
    {
        try
        {
            return await provider.SendAsync(notification, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ProviderResult.Transient("timeout", "The provider call timed out.");
        }
        catch (HttpRequestException e)
        {
            return ProviderResult.Transient("connection", e.Message);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or Google.Apis.Auth.OAuth2.Responses.TokenResponseException)
        {
            return ProviderResult.Transient("connection", e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An SDK exception nobody classified: retry through the tiers, so it ends dead-lettered with a status and a
            // log row if it persists, instead of failing the record without an outcome.
            return ProviderResult.Transient("provider-exception", $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Retry-After applies to the whole account, not one message: every call waits until it has passed.</summary>
    private void PauseFor(TimeSpan retryAfter)
    {
        var until = time.GetUtcNow().Add(retryAfter).UtcTicks;
        long current;
        while ((current = Interlocked.Read(ref pausedUntilTicks)) < until && Interlocked.CompareExchange(ref pausedUntilTicks, until, current) != current)
        {
        }
    }
}
