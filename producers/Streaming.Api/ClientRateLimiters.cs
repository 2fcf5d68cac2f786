using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Streaming.Api;

/// <summary>Per-client token buckets; rebuilt when a client's limit changes in configuration.</summary>
public sealed class ClientRateLimiters
{
    private readonly ConcurrentDictionary<string, (int Rate, TokenBucketRateLimiter Limiter)> limiters = new(StringComparer.Ordinal);

    /// <summary>Null when the request may proceed, otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(ApiClient client)
    {
        if (client.RequestsPerSecond <= 0)
        {
            return null;
        }

        var entry = limiters.AddOrUpdate(
            client.Name,
            _ => (client.RequestsPerSecond, Create(client.RequestsPerSecond)),
            (_, existing) => existing.Rate == client.RequestsPerSecond ? existing : (client.RequestsPerSecond, Create(client.RequestsPerSecond)));
        using var lease = entry.Limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
    }

    private static TokenBucketRateLimiter Create(int rate) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = rate,
        TokensPerPeriod = rate,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });
}
