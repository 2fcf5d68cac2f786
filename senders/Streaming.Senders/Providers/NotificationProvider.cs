using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Streaming.Contracts;

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

/// <summary>One provider adapter (one file each). Adapters classify HTTP answers; exceptions are classified by <see cref="DeliveryPipeline"/>.</summary>
public interface INotificationProvider : IDisposable
{
    /// <summary>apns, fcm, twilio, sendgrid.</summary>
    string Name { get; }

    Task<ProviderResult> SendAsync(ChannelNotification notification, CancellationToken cancellationToken);
}

public static class ProviderFactory
{
    /// <summary>The adapter of a sender channel, configured from <paramref name="options"/>.</summary>
    public static INotificationProvider Create(string channel, ProvidersOptions options, TimeProvider? time = null) => channel switch
    {
        Channels.Apns => new ApnsProvider(options.Apns, time ?? TimeProvider.System),
        Channels.Fcm => new FcmProvider(options.Fcm),
        Channels.Sms => new TwilioSmsProvider(options.Twilio),
        Channels.Email => new SendGridEmailProvider(options.SendGrid),
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel"),
    };

    /// <summary>A pooled handler; <paramref name="http2Only"/> makes HttpClient speak HTTP/2 even over cleartext (h2c prior knowledge), as APNs requires.</summary>
    internal static HttpClient HttpClient(string baseUrl, bool http2Only = false)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
            MaxConnectionsPerServer = 64,
        })
        {
            BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"),
            // Polly's timeout strategy bounds each call; this only catches a hung call outside it.
            Timeout = TimeSpan.FromMinutes(2),
        };
        if (http2Only)
        {
            client.DefaultRequestVersion = HttpVersion.Version20;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        return client;
    }
}

internal static class DateTimeExtensions
{
    /// <summary>Avro timestamp-millis come back as UTC DateTimes; treat an unspecified kind as UTC too.</summary>
    public static DateTimeOffset AsUtc(this DateTime d)
        => new(d.Kind switch
        {
            DateTimeKind.Local => d.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(d, DateTimeKind.Utc),
            _ => d,
        });
}
