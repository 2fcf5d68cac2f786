using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Streaming.Senders.Providers;

/// <summary>How a provider answered one call.</summary>
public enum ProviderOutcome
{
    Delivered,

    /// <summary>Worth retrying: timeouts, connection errors, 5xx, 429.</summary>
    Transient,

    /// <summary>Will never succeed as sent: other 4xx.</summary>
    Permanent,

    /// <summary>Permanent, and the target itself is dead (unregistered token, invalid number or address).</summary>
    InvalidTarget,
}

/// <summary>One provider answer: the outcome, the provider's message ID when delivered, else why (and how long to wait).</summary>
public sealed record ProviderResult(ProviderOutcome Outcome, string? MessageId = null, string? Reason = null, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static ProviderResult Delivered(string? messageId) => new(ProviderOutcome.Delivered, messageId);

    public static ProviderResult Transient(string reason, string? error = null, TimeSpan? retryAfter = null) => new(ProviderOutcome.Transient, null, reason, error, retryAfter);

    public static ProviderResult Permanent(string reason, string? error = null) => new(ProviderOutcome.Permanent, null, reason, error);

    public static ProviderResult InvalidTarget(string reason, string? error = null) => new(ProviderOutcome.InvalidTarget, null, reason, error);

    /// <summary>The HTTP classification every adapter shares: 429 and 5xx transient (with Retry-After), other 4xx permanent.</summary>
    public static ProviderResult FromStatus(HttpStatusCode status, string? error, TimeSpan? retryAfter)
    {
        var code = (int)status;
        return code == 429 ? Transient("rate-limited", error, retryAfter)
            : code >= 500 || code == 408 ? Transient($"http-{code}", error, retryAfter)
            : Permanent($"http-{code}", error);
    }

    /// <summary>Reads Retry-After (delta seconds or HTTP date), preferring the fakes' millisecond variant.</summary>
    public static TimeSpan? RetryAfterFrom(HttpHeaders? headers, TimeProvider? time = null)
    {
        if (headers is null)
        {
            return null;
        }

        if (headers.TryGetValues("x-retry-after-ms", out var ms) && long.TryParse(ms.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m))
        {
            return TimeSpan.FromMilliseconds(m);
        }

        if (headers.TryGetValues("Retry-After", out var values))
        {
            var v = values.FirstOrDefault();
            if (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s))
            {
                return TimeSpan.FromSeconds(s);
            }

            if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                var d = at - (time ?? TimeProvider.System).GetUtcNow();
                return d > TimeSpan.Zero ? d : TimeSpan.Zero;
            }
        }

        return null;
    }
}
