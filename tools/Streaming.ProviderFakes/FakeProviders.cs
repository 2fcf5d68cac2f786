using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Streaming.ProviderFakes;

/// <summary>One request a fake received: which provider channel, the event it carried, the target, when, and the status it got.</summary>
public sealed record FakeRequest(string Channel, string? EventId, string Target, DateTimeOffset At, int Status)
{
    /// <summary>Protocol details worth asserting on: apns-* headers and the HTTP version for APNs, FCM android options, SendGrid mail headers.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Fakes of APNs, FCM HTTP v1 (with its OAuth2 token endpoint), Twilio Messages and SendGrid mail/send on ONE Kestrel
/// server on 127.0.0.1, close enough for the real SDKs. Records every request and injects faults (<see cref="Faults"/>).
/// Point every provider base URL at <see cref="BaseUrl"/>; the endpoint speaks HTTP/1.1 and cleartext HTTP/2 (prior
/// knowledge), which APNs clients need.
/// </summary>
public sealed class FakeProviders : IAsyncDisposable
{
    public const string Apns = "apns";
    public const string Fcm = "fcm";
    public const string Sms = "sms";
    public const string Email = "email";

    /// <summary>The access token the fake OAuth endpoint issues and the FCM fake expects.</summary>
    public const string AccessToken = "fake-fcm-access-token";

    /// <summary>How many of the latest requests <see cref="Requests"/> keeps with their details by default (the counts cover all).</summary>
    public const int DefaultJournalCapacity = 100_000;

    private readonly WebApplication app;
    private readonly ConcurrentQueue<FakeRequest> requests = new();

    // Per (channel, eventId, target): calls seen (for fail-first faults) and calls accepted. Keyed by a 128-bit digest of
    // the triple, not the strings, so a million-message run costs tens of MB here rather than hundreds.
    // Both counts share one entry (calls seen in the high 32 bits, calls accepted in the low 32), so a run of a million
    // requests holds a million entries here, not two million.
    private readonly ConcurrentDictionary<UInt128, long> calls = new();
    private readonly ConcurrentDictionary<string, long> acceptedByChannel = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Channel, string EventId, string Target), byte> duplicateKeys = new();
    private volatile FaultSpec faults;
    private long tokenRequests;
    private long requestCount;
    private long journalCount;
    private long duplicates;
    private long sequence;

    private FakeProviders(WebApplication app, FaultSpec faults, int journalCapacity)
    {
        this.app = app;
        this.faults = faults;
        JournalCapacity = Math.Max(0, journalCapacity);
    }

    /// <summary>How many of the latest requests <see cref="Requests"/> keeps; 0 keeps none and skips collecting their details.</summary>
    public int JournalCapacity { get; }

    private bool Journaling => JournalCapacity > 0;

    /// <summary>http://127.0.0.1:port, the base URL of every fake.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The current faults (a copy: change them with <see cref="SetFaults(FaultSpec)"/> or <see cref="SetFaults(string)"/>).</summary>
    public FaultSpec Faults => faults.Clone();

    public void SetFaults(FaultSpec spec) => faults = spec.Clone();

    public void SetFaults(string spec) => faults = FaultSpec.Parse(spec);

    /// <summary>Switches a full outage (every provider request answers 503) on or off.</summary>
    public void SetOutage(bool on)
    {
        var f = faults.Clone();
        f.Outage = on;
        faults = f;
    }

    /// <summary>The latest <see cref="JournalCapacity"/> provider requests, oldest first.</summary>
    public IReadOnlyList<FakeRequest> Requests => [.. requests];

    /// <summary>Provider requests answered since the start (any status), including those no longer in <see cref="Requests"/>.</summary>
    public long RequestCount => Interlocked.Read(ref requestCount);

    public long TokenRequests => Interlocked.Read(ref tokenRequests);

    /// <summary>Requests answered 2xx, optionally for one channel.</summary>
    public int Delivered(string? channel = null)
        => (int)(channel is null ? acceptedByChannel.Values.Sum() : acceptedByChannel.GetValueOrDefault(channel));

    /// <summary>How many times an (eventId, channel, target) that was already accepted was accepted again: what a user would see twice.</summary>
    public int Duplicates => (int)Interlocked.Read(ref duplicates);

    /// <summary>Accepted (eventId, channel, target) triples seen more than once.</summary>
    public IReadOnlyList<(string Channel, string EventId, string Target)> DuplicateKeys => [.. duplicateKeys.Keys];

    /// <summary>
    /// Starts the fakes on 127.0.0.1:<paramref name="port"/> (0 = a free port) with faults from <paramref name="faultSpec"/>,
    /// journaling the latest <paramref name="journalCapacity"/> requests (the benchmark keeps none: at thousands of
    /// requests a second the journal's entries live just long enough to be promoted, and the GC pays for that).
    /// </summary>
    public static async Task<FakeProviders> StartAsync(int port = 0, string? faultSpec = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default, int journalCapacity = DefaultJournalCapacity)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port, o =>
            {
                o.Protocols = HttpProtocols.Http1AndHttp2;
                o.Use(H2cPriorKnowledge.Middleware);
            });
            k.Limits.Http2.MaxStreamsPerConnection = 1000;
            // h2c connections look like TLS to Kestrel (see H2cPriorKnowledge): accept their ":scheme http".
            k.AllowAlternateSchemes = true;
        });
        var app = builder.Build();
        var fakes = new FakeProviders(app, FaultSpec.Parse(faultSpec), journalCapacity);
        fakes.Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fakes.BaseUrl = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return fakes;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private void Map(WebApplication web)
    {
        // APNs: POST /3/device/{token}, apns-id header, JSON {"reason": ...} on errors.
        web.MapPost("/3/device/{token}", async (HttpContext ctx, string token) =>
        {
            var eventId = ctx.Request.Headers["apns-id"].ToString();
            if (!ctx.Request.Headers.Authorization.ToString().StartsWith("bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return Results.Json(new { reason = "MissingProviderToken" }, statusCode: 403);
            }

            Dictionary<string, string>? details = null;
            if (Journaling)
            {
                details = ctx.Request.Headers.Where(h => h.Key.StartsWith("apns-", StringComparison.OrdinalIgnoreCase))
                    .ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
                details["protocol"] = ctx.Request.Protocol;
                details["authorization-alg"] = JwtAlgorithm(ctx.Request.Headers.Authorization.ToString()["bearer ".Length..]);
            }

            var fault = await DecideAsync(Apns, eventId, token, ctx.RequestAborted, details).ConfigureAwait(false);
            ctx.Response.Headers["apns-id"] = eventId;
            return fault switch
            {
                Fault.None => Results.Ok(),
                Fault.Invalid => Results.Json(new { reason = "Unregistered", timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, statusCode: 410),
                Fault.TooMany => TooMany(ctx, new { reason = "TooManyRequests" }),
                _ => Results.Json(new { reason = "ServiceUnavailable" }, statusCode: 503),
            };
        });

        // Google OAuth2 token endpoint (JWT bearer grant): any assertion gets the fixed token.
        web.MapPost("/token", (HttpContext _) =>
        {
            Interlocked.Increment(ref tokenRequests);
            return Results.Json(new { access_token = AccessToken, token_type = "Bearer", expires_in = 3600 });
        });

        // FCM HTTP v1: POST /v1/projects/{project}/messages:send.
        web.MapPost("/v1/projects/{project}/messages:send", async (HttpContext ctx, string project) =>
        {
            if (ctx.Request.Headers.Authorization.ToString() != "Bearer " + AccessToken)
            {
                return FcmError(401, "UNAUTHENTICATED", null, "Request had invalid authentication credentials.");
            }

            var body = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
            var message = body?["message"];
            var token = message?["token"]?.GetValue<string>() ?? "";
            var eventId = message?["data"]?["eventId"]?.GetValue<string>();
            if (token.Length == 0)
            {
                return FcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token");
            }

            var fcmDetails = !Journaling ? null : new Dictionary<string, string>
            {
                ["android.priority"] = message?["android"]?["priority"]?.GetValue<string>() ?? "",
                ["android.collapse_key"] = message?["android"]?["collapse_key"]?.GetValue<string>() ?? "",
                ["notification.title"] = message?["notification"]?["title"]?.GetValue<string>() ?? "",
            };
            var fault = await DecideAsync(Fcm, eventId, token, ctx.RequestAborted, fcmDetails).ConfigureAwait(false);
            return fault switch
            {
                Fault.None => Results.Json(new { name = $"projects/{project}/messages/{Interlocked.Increment(ref sequence)}" }),
                Fault.Invalid => FcmError(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found."),
                Fault.TooMany => TooMany(ctx, FcmBody(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded.")),
                _ => FcmError(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable."),
            };
        });

        // Twilio: POST /2010-04-01/Accounts/{sid}/Messages.json, form body; the event ID travels in the status callback URL.
        web.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (HttpContext ctx, string sid) =>
        {
            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
            var to = form["To"].ToString();
            var callback = form["StatusCallback"].ToString();
            string? eventId = null;
            if (Uri.TryCreate(callback, UriKind.Absolute, out var cb))
            {
                eventId = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(cb.Query).TryGetValue("eventId", out var v) ? v.ToString() : null;
            }

            var smsDetails = !Journaling ? null : new Dictionary<string, string> { ["From"] = form["From"].ToString(), ["Body"] = form["Body"].ToString(), ["StatusCallback"] = callback };
            var fault = await DecideAsync(Sms, eventId, to, ctx.RequestAborted, smsDetails).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
            return fault switch
            {
                Fault.None => Results.Json(new Dictionary<string, object?>
                {
                    ["sid"] = "SM" + Guid.NewGuid().ToString("N"),
                    ["account_sid"] = sid,
                    ["to"] = to,
                    ["from"] = form["From"].ToString(),
                    ["messaging_service_sid"] = form["MessagingServiceSid"].ToString() is { Length: > 0 } m ? m : null,
                    ["body"] = form["Body"].ToString(),
                    ["status"] = "queued",
                    ["num_segments"] = "1",
                    ["direction"] = "outbound-api",
                    ["api_version"] = "2010-04-01",
                    ["date_created"] = now,
                    ["date_updated"] = now,
                    ["uri"] = $"/2010-04-01/Accounts/{sid}/Messages/SM.json",
                }, statusCode: 201),
                Fault.Invalid => TwilioError(400, 21211, $"The 'To' number {to} is not a valid phone number."),
                Fault.TooMany => TooMany(ctx, new { code = 20429, message = "Too Many Requests", more_info = "https://www.twilio.com/docs/errors/20429", status = 429 }),
                _ => TwilioError(503, 20503, "Service unavailable"),
            };
        });

        // SendGrid: POST /v3/mail/send, 202 + X-Message-Id; the event ID is custom_args.event_id.
        web.MapPost("/v3/mail/send", async (HttpContext ctx) =>
        {
            if (!ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return Results.Json(new { errors = new[] { new { message = "Permission denied, wrong credentials", field = (string?)null } } }, statusCode: 401);
            }

            var body = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
            var to = body?["personalizations"]?[0]?["to"]?[0]?["email"]?.GetValue<string>() ?? "";
            var eventId = body?["custom_args"]?["event_id"]?.GetValue<string>()
                ?? body?["personalizations"]?[0]?["custom_args"]?["event_id"]?.GetValue<string>();
            var mailDetails = !Journaling ? null : new Dictionary<string, string>
            {
                ["subject"] = body?["subject"]?.GetValue<string>() ?? body?["personalizations"]?[0]?["subject"]?.GetValue<string>() ?? "",
                ["X-Entity-Ref-ID"] = body?["headers"]?["X-Entity-Ref-ID"]?.GetValue<string>()
                    ?? body?["personalizations"]?[0]?["headers"]?["X-Entity-Ref-ID"]?.GetValue<string>() ?? "",
                ["from"] = body?["from"]?["email"]?.GetValue<string>() ?? "",
            };
            var fault = await DecideAsync(Email, eventId, to, ctx.RequestAborted, mailDetails).ConfigureAwait(false);
            switch (fault)
            {
                case Fault.None:
                    ctx.Response.Headers["X-Message-Id"] = Guid.NewGuid().ToString("N");
                    return Results.StatusCode(202);
                case Fault.Invalid:
                    return Results.Json(new { errors = new[] { new { message = "Does not contain a valid address.", field = "personalizations.0.to.0.email" } } }, statusCode: 400);
                case Fault.TooMany:
                    return TooMany(ctx, new { errors = new[] { new { message = "too many requests", field = (string?)null } } });
                default:
                    return Results.Json(new { errors = new[] { new { message = "service unavailable", field = (string?)null } } }, statusCode: 503);
            }
        });
    }

    private enum Fault
    {
        None,
        Invalid,
        TooMany,
        Error,
    }

    private const long OneSeen = 1L << 32;

    private async Task<Fault> DecideAsync(string channel, string? eventId, string target, CancellationToken ct, Dictionary<string, string>? details = null)
    {
        var f = faults;
        if (f.Latency > TimeSpan.Zero)
        {
            await Task.Delay(f.Latency, ct).ConfigureAwait(false);
        }

        var key = Digest(channel, eventId ?? "", target);
        var n = (int)(calls.AddOrUpdate(key, OneSeen, (_, v) => v + OneSeen) >> 32);
        var fault = f.Outage ? Fault.Error
            : target.StartsWith(f.InvalidPrefix, StringComparison.Ordinal) && f.InvalidPrefix.Length > 0 ? Fault.Invalid
            : n <= f.TooManyRequestsFirst && target.StartsWith(f.TooManyRequestsFirstPrefix, StringComparison.Ordinal) ? Fault.TooMany
            : n <= f.FailFirst && target.StartsWith(f.FailFirstPrefix, StringComparison.Ordinal) ? Fault.Error
            : f.TooManyRequestsRate > 0 && Random.Shared.NextDouble() < f.TooManyRequestsRate ? Fault.TooMany
            : f.ErrorRate > 0 && Random.Shared.NextDouble() < f.ErrorRate ? Fault.Error
            : Fault.None;
        if (fault == Fault.None)
        {
            acceptedByChannel.AddOrUpdate(channel, 1, (_, v) => v + 1);
            if ((calls.AddOrUpdate(key, 1, (_, v) => v + 1) & uint.MaxValue) > 1)
            {
                Interlocked.Increment(ref duplicates);
                duplicateKeys.TryAdd((channel, eventId ?? "", target), 0);
            }
        }

        Interlocked.Increment(ref requestCount);
        if (!Journaling)
        {
            return fault;
        }

        requests.Enqueue(new FakeRequest(channel, eventId, target, DateTimeOffset.UtcNow, fault switch
        {
            Fault.None => 200,
            Fault.Invalid => 400,
            Fault.TooMany => 429,
            _ => 503,
        }) { Details = details ?? [] });
        if (Interlocked.Increment(ref journalCount) > JournalCapacity && requests.TryDequeue(out _))
        {
            Interlocked.Decrement(ref journalCount);
        }

        return fault;
    }

    // The first 128 bits of SHA-256 over the length-prefixed triple: collisions are out of reach at any run's size.
    private static UInt128 Digest(string channel, string eventId, string target)
    {
        var text = $"{channel.Length}:{channel}{eventId.Length}:{eventId}{target.Length}:{target}";
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    private static string JwtAlgorithm(string jwt)
    {
        try
        {
            var header = jwt.Split('.')[0].Replace('-', '+').Replace('_', '/');
            header += new string('=', (4 - header.Length % 4) % 4);
            return JsonNode.Parse(Convert.FromBase64String(header))?["alg"]?.GetValue<string>() ?? "";
        }
        catch (Exception e) when (e is FormatException or JsonException or IndexOutOfRangeException)
        {
            return "";
        }
    }

    private IResult TooMany(HttpContext ctx, object body)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(faults.RetryAfter.TotalSeconds));
        // Retry-After in whole seconds is the HTTP standard; x-retry-after-ms lets short test delays be honoured exactly.
        ctx.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        ctx.Response.Headers["x-retry-after-ms"] = ((long)faults.RetryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        return Results.Json(body, statusCode: 429);
    }

    private static object FcmBody(int code, string status, string? errorCode, string message) => new
    {
        error = new
        {
            code,
            message,
            status,
            details = errorCode is null
                ? Array.Empty<object>()
                : [new Dictionary<string, string> { ["@type"] = "type.googleapis.com/google.firebase.fcm.v1.FcmError", ["errorCode"] = errorCode }],
        },
    };

    private static IResult FcmError(int code, string status, string? errorCode, string message)
        => Results.Json(FcmBody(code, status, errorCode, message), statusCode: code);

    private static IResult TwilioError(int status, int code, string message)
        => Results.Json(new { code, message, more_info = $"https://www.twilio.com/docs/errors/{code}", status }, statusCode: status);

    /// <summary>A throwaway FCM service-account JSON (fresh RSA key) whose token_uri is this fake's /token.</summary>
    public string FcmServiceAccountJson(string projectId = "demo-project")
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = projectId,
            ["private_key_id"] = "fake-key-id",
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = $"sender@{projectId}.iam.gserviceaccount.com",
            ["client_id"] = "1",
            ["token_uri"] = new Uri(BaseUrl, "/token").ToString(),
        });
    }

    /// <summary>A throwaway APNs token-auth key (P-256, PKCS#8 PEM), as in an Apple .p8 file.</summary>
    public static string ApnsPrivateKeyPem()
    {
        using var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return ec.ExportPkcs8PrivateKeyPem();
    }
}

/// <summary>
/// Lets one cleartext port serve HTTP/1.1 and HTTP/2 with prior knowledge (h2c, what an APNs client sends to a local
/// fake). Kestrel picks HTTP/2 on an Http1AndHttp2 endpoint only when TLS ALPN said "h2", so a connection whose first
/// bytes are the HTTP/2 client preface is given the TLS features as if ALPN had negotiated h2. Test fake only.
/// </summary>
internal static class H2cPriorKnowledge
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static Microsoft.AspNetCore.Connections.ConnectionDelegate Middleware(Microsoft.AspNetCore.Connections.ConnectionDelegate next) => async connection =>
    {
        var input = connection.Transport.Input;
        var result = await input.ReadAtLeastAsync(Preface.Length).ConfigureAwait(false);
        var isH2 = result.Buffer.Length >= Preface.Length && System.Buffers.BuffersExtensions.ToArray(result.Buffer.Slice(0, Preface.Length)).AsSpan().SequenceEqual(Preface);
        input.AdvanceTo(result.Buffer.Start); // nothing consumed: Kestrel reads the same bytes again
        if (isH2)
        {
            connection.Features.Set<Microsoft.AspNetCore.Http.Features.ITlsConnectionFeature>(new CleartextH2Feature());
            connection.Features.Set<Microsoft.AspNetCore.Server.Kestrel.Core.Features.ITlsApplicationProtocolFeature>(new CleartextH2Feature());
        }

        await next(connection).ConfigureAwait(false);
    };

    private sealed class CleartextH2Feature : Microsoft.AspNetCore.Http.Features.ITlsConnectionFeature, Microsoft.AspNetCore.Server.Kestrel.Core.Features.ITlsApplicationProtocolFeature
    {
        public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; set; }

        public ReadOnlyMemory<byte> ApplicationProtocol => System.Net.Security.SslApplicationProtocol.Http2.Protocol;

        public Task<System.Security.Cryptography.X509Certificates.X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
    }
}
