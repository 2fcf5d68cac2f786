using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Streaming.Contracts;

namespace Streaming.Senders.Providers;

/// <summary>
/// APNs over HTTP/2 with token auth: an ES256 JWT (kid = key ID, iss = team ID) refreshed every
/// <see cref="ApnsOptions.TokenLifetime"/>; apns-id from the event ID, apns-expiration from expiresAt,
/// apns-priority 10 for high/critical and 5 otherwise, apns-collapse-id from collapseKey.
/// 410, BadDeviceToken and Unregistered mean the token is dead.
/// </summary>
public sealed class ApnsProvider : INotificationProvider
{
    private readonly ApnsOptions options;
    private readonly TimeProvider time;
    private readonly HttpClient http;
    private readonly ECDsa key;
    private readonly Lock tokenLock = new();
    private (string Jwt, DateTimeOffset IssuedAt) token;

    public ApnsProvider(ApnsOptions options, TimeProvider time)
    {
        this.options = options;
        this.time = time;
        if (string.IsNullOrWhiteSpace(options.TeamId) || string.IsNullOrWhiteSpace(options.KeyId))
        {
            throw new InvalidOperationException("Providers:Apns needs TeamId and KeyId.");
        }

        var pem = options.PrivateKeyPem is { Length: > 0 } ? options.PrivateKeyPem : (options.PrivateKeyFile is { Length: > 0 } f ? File.ReadAllText(f) : null)
            ?? throw new InvalidOperationException("Providers:Apns needs PrivateKeyPem or PrivateKeyFile.");
        key = ECDsa.Create();
        key.ImportFromPem(pem);
        http = ProviderFactory.HttpClient(options.BaseUrl, http2Only: true);
    }

    public string Name => "apns";

    public async Task<ProviderResult> SendAsync(ChannelNotification n, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "3/device/" + Uri.EscapeDataString(n.target))
        {
            Content = JsonContent.Create(Payload(n)),
            // APNs speaks only HTTP/2; Exact also makes a cleartext base URL (the local fake) use h2c with prior knowledge.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("authorization", "bearer " + Jwt());
        request.Headers.TryAddWithoutValidation("apns-id", ApnsId(n.eventId));
        request.Headers.TryAddWithoutValidation("apns-push-type", "alert");
        request.Headers.TryAddWithoutValidation("apns-priority", n.priority is "high" or "critical" ? "10" : "5");
        request.Headers.TryAddWithoutValidation("apns-expiration", n.expiresAt is { } e ? e.AsUtc().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) : "0");
        var topic = n.app ?? options.DefaultTopic;
        if (topic.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("apns-topic", topic);
        }

        if (n.collapseKey is { Length: > 0 } collapse)
        {
            request.Headers.TryAddWithoutValidation("apns-collapse-id", collapse.Length > 64 ? collapse[..64] : collapse);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return ProviderResult.Delivered(response.Headers.TryGetValues("apns-id", out var ids) ? ids.FirstOrDefault() : null);
        }

        var reason = await ReasonAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Gone || reason is "BadDeviceToken" or "Unregistered" or "DeviceTokenNotForTopic")
        {
            return ProviderResult.InvalidTarget("invalid-token", $"{(int)response.StatusCode} {reason}");
        }

        if (reason == "ExpiredProviderToken")
        {
            lock (tokenLock)
            {
                token = default; // the next call signs a fresh token
            }

            return ProviderResult.Transient("expired-provider-token", reason);
        }

        return ProviderResult.FromStatus(response.StatusCode, $"{(int)response.StatusCode} {reason}", ProviderResult.RetryAfterFrom(response.Headers, time));
    }

    public void Dispose()
    {
        http.Dispose();
        key.Dispose();
    }

    /// <summary>APNs wants a canonical UUID: event IDs that are not one map to a stable name-based UUID of the event ID.</summary>
    internal static string ApnsId(string eventId)
    {
        if (Guid.TryParse(eventId, out var g))
        {
            return g.ToString("D");
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(eventId), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }

    private static Dictionary<string, object> Payload(ChannelNotification n)
    {
        var payload = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["aps"] = new Dictionary<string, object>
            {
                ["alert"] = n.title is null ? n.body : new Dictionary<string, string> { ["title"] = n.title, ["body"] = n.body },
            },
            ["eventId"] = n.eventId,
        };
        foreach (var (k, v) in n.data ?? new Dictionary<string, string>())
        {
            payload.TryAdd(k, v);
        }

        return payload;
    }

    private static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct).ConfigureAwait(false);
            return doc.RootElement.TryGetProperty("reason", out var r) ? r.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private string Jwt()
    {
        var now = time.GetUtcNow();
        lock (tokenLock)
        {
            if (token.Jwt is not null && now - token.IssuedAt < options.TokenLifetime)
            {
                return token.Jwt;
            }

            var header = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "ES256", ["kid"] = options.KeyId }));
            var claims = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["iss"] = options.TeamId, ["iat"] = now.ToUnixTimeSeconds() }));
            var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            token = ($"{header}.{claims}.{B64(signature)}", now);
            return token.Jwt;
        }
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
