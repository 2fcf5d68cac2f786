using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Streaming.Hosting;
using Streaming.Producers;

namespace Streaming.Api;

/// <summary>The notification HTTP API: builds the web app so the host, the local stack and tests run the same thing.</summary>
public static class NotificationApi
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Builds the app. <paramref name="configure"/> may add configuration or services (the local stack and tests use it).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        builder.Services.AddNotificationPublisher(builder.Configuration);
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<ApiKeyAuthenticator>();
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddSingleton<ClientRateLimiters>();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddStreamingTelemetry(builder.Configuration, "notification-api",
            m => m.AddAspNetCoreInstrumentation(), t => t.AddAspNetCoreInstrumentation());
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

        var app = builder.Build();
        app.UseExceptionHandler();
        // Answers the framework produces without a body (415 from the Accepts metadata, 404, 405) get a problem body too.
        app.UseStatusCodePages(async context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            var code = status switch
            {
                StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
                StatusCodes.Status404NotFound => "not-found",
                StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
                _ => "http-" + status,
            };
            var detail = status == StatusCodes.Status415UnsupportedMediaType ? "Send the body as application/json." : ReasonPhrases.GetReasonPhrase(status);
            await Problems.Write(context.HttpContext, status, code, ReasonPhrases.GetReasonPhrase(status), detail);
        });
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).ExcludeFromDescription();
        MapNotifications(app);
        MapContacts(app);
        app.Lifetime.ApplicationStarted.Register(() => ApiLog.Listening(app.Logger, string.Join(", ", Urls(app))));
        return app;
    }

    /// <summary>The addresses the app listens on (after start).</summary>
    public static IReadOnlyList<string> Urls(WebApplication app)
        => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static void MapNotifications(WebApplication app)
    {
        app.MapPost("/v1/notifications", SendNotification)
            .WithName("SendNotification")
            .WithSummary("Queue one notification for one user.")
            .WithDescription("Validates the request and writes it to notifications.requested. Returns 202 with the event ID. "
                + "Send an Idempotency-Key header to make retries safe: the same key returns the same event ID and writes nothing new.")
            .Accepts<NotificationBody>("application/json")
            .Produces<AcceptedNotification>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> SendNotification(
        HttpContext http,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ApiKeyAuthenticator auth,
        ClientRateLimiters limiters,
        IdempotencyStore idempotency,
        NotificationPublisher publisher,
        IOptionsMonitor<ApiOptions> options,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Streaming.Api.Notifications");
        var client = auth.Authenticate(http.Request.Headers[ApiKeyAuthenticator.HeaderName]);
        if (client is null)
        {
            return Problems.Unauthorized();
        }

        if (limiters.TryAcquire(client) is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Reject(logger, client, StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests", $"Client '{client.Name}' is limited to {client.RequestsPerSecond} requests per second.");
        }

        var opts = options.CurrentValue;
        var (body, rawBody, bodyProblem) = await ReadBodyAsync<NotificationBody>(http, opts.MaxBodyBytes);
        if (bodyProblem is not null)
        {
            ApiLog.Rejected(logger, client.Name, bodyProblem.Value.Status, bodyProblem.Value.Code);
            return bodyProblem.Value.Result;
        }

        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > 255 || idempotencyKey.Any(char.IsControl)))
        {
            return Problems.Reject(logger, client, StatusCodes.Status400BadRequest, "invalid-idempotency-key", "Invalid Idempotency-Key", "Idempotency-Key must be 1-255 printable characters.");
        }

        var eventId = idempotencyKey is null ? null : IdempotencyStore.EventIdFor(client.Name, idempotencyKey);
        var request = body!.ToRequest(client.Name, eventId);
        var errors = publisher.Validate(request);
        if (errors.Count > 0)
        {
            return Problems.Invalid(logger, client, errors);
        }

        if (!client.MayUse(request.Category!))
        {
            return Problems.Reject(logger, client, StatusCodes.Status403Forbidden, "category-not-allowed", "Category not allowed", $"Client '{client.Name}' may not send category '{request.Category}'.");
        }

        IdempotencyStore.Entry? entry = null;
        if (idempotencyKey is not null)
        {
            var candidate = new IdempotencyStore.Entry(eventId!, IdempotencyStore.HashBody(rawBody), time.GetUtcNow() + opts.IdempotencyWindow);
            entry = idempotency.GetOrAdd(client.Name, idempotencyKey, candidate, opts.IdempotencyCapacity);
            if (!ReferenceEquals(entry, candidate))
            {
                if (entry.BodyHash != candidate.BodyHash)
                {
                    return Problems.Reject(logger, client, StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "Idempotency-Key reused", "This Idempotency-Key was already used with a different request body.");
                }

                // Same request again: wait for the first one's outcome rather than writing a second event.
                if (await entry.Published.Task.WaitAsync(http.RequestAborted))
                {
                    ApiMetrics.Accepted(duplicate: true);
                    return Results.Accepted(value: new AcceptedNotification(entry.EventId, Duplicate: true));
                }

                return Problems.Unavailable(http, "The first request with this Idempotency-Key failed; retry.");
            }
        }

        try
        {
            var receipt = await publisher.PublishAsync(publisher.Prepare(request), http.RequestAborted);
            entry?.Published.TrySetResult(true);
            ApiMetrics.Accepted(duplicate: false);
            ApiLog.Accepted(logger, receipt.EventId, client.Name, request.Category!);
            return Results.Accepted(value: new AcceptedNotification(receipt.EventId, Duplicate: false));
        }
        catch (Exception ex) when (ex is NotificationPublishException or OperationCanceledException)
        {
            if (entry is not null)
            {
                idempotency.Forget(client.Name, idempotencyKey!, entry);
                entry.Published.TrySetResult(false);
            }

            ApiLog.PublishFailed(logger, client.Name, ex.Message);
            return Problems.Unavailable(http, "Kafka did not acknowledge the request; it was not accepted. Retry with the same Idempotency-Key.");
        }
    }

    private static void MapContacts(WebApplication app)
    {
        var contacts = app.MapGroup("/v1/users").WithTags("Contact information");
        contacts.MapPut("/{userId}", (string userId, HttpContext http, ContactInfoPublisher p, ApiKeyAuthenticator a, IOptionsMonitor<ApiOptions> o, ILoggerFactory l)
                => WriteContact<UserBody>(http, a, o, l, (b, ct) => p.PutUserAsync(userId, new UserProfileUpdate
                {
                    DisplayName = b.DisplayName, Email = b.Email, Phone = b.Phone, Locale = b.Locale, TimeZone = b.TimeZone,
                }, ct)))
            .WithSummary("Create or replace a user's contact information (users table).")
            .Accepts<UserBody>("application/json").Produces<AcceptedWrite>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest);

        contacts.MapPut("/{userId}/devices/{token}", (string userId, string token, HttpContext http, ContactInfoPublisher p, ApiKeyAuthenticator a, IOptionsMonitor<ApiOptions> o, ILoggerFactory l)
                => WriteContact<DeviceBody>(http, a, o, l, (b, ct) => p.PutDeviceAsync(userId, token, new DeviceRegistration { Platform = b.Platform, App = b.App }, ct)))
            .WithSummary("Register or refresh one push device (devices table, key userId/token).")
            .Accepts<DeviceBody>("application/json").Produces<AcceptedWrite>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest);

        contacts.MapDelete("/{userId}/devices/{token}", (string userId, string token, HttpContext http, ContactInfoPublisher p, ApiKeyAuthenticator a, IOptionsMonitor<ApiOptions> o, ILoggerFactory l)
                => WriteContact<object>(http, a, o, l, (_, ct) => p.DeleteDeviceAsync(userId, token, ct), readBody: false))
            .WithSummary("Remove one push device (writes a tombstone).")
            .Produces<AcceptedWrite>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest);

        contacts.MapPut("/{userId}/preferences", (string userId, HttpContext http, ContactInfoPublisher p, ApiKeyAuthenticator a, IOptionsMonitor<ApiOptions> o, ILoggerFactory l)
                => WriteContact<PreferencesBody>(http, a, o, l, (b, ct) => p.PutPreferencesAsync(userId, new PreferencesUpdate
                {
                    UnsubscribedAll = b.UnsubscribedAll, ChannelOrder = b.ChannelOrder, Rules = b.Rules, QuietHours = b.QuietHours,
                }, ct)))
            .WithSummary("Replace a user's notification preferences (preferences table).")
            .Accepts<PreferencesBody>("application/json").Produces<AcceptedWrite>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> WriteContact<T>(
        HttpContext http, ApiKeyAuthenticator auth, IOptionsMonitor<ApiOptions> options, ILoggerFactory loggers,
        Func<T, CancellationToken, Task<PublishReceipt>> write, bool readBody = true)
        where T : class
    {
        var logger = loggers.CreateLogger("Streaming.Api.Contacts");
        var client = auth.Authenticate(http.Request.Headers[ApiKeyAuthenticator.HeaderName]);
        if (client is null)
        {
            return Problems.Unauthorized();
        }

        if (!client.CanWriteContacts)
        {
            return Problems.Reject(logger, client, StatusCodes.Status403Forbidden, "contacts-not-allowed", "Not allowed", $"Client '{client.Name}' may not write contact information.");
        }

        T? body = null;
        if (readBody)
        {
            var (parsed, _, problem) = await ReadBodyAsync<T>(http, options.CurrentValue.MaxBodyBytes);
            if (problem is not null)
            {
                return problem.Value.Result;
            }

            body = parsed;
        }

        try
        {
            var receipt = await write(body!, http.RequestAborted);
            return Results.Accepted(value: new AcceptedWrite(receipt.Topic, receipt.EventId));
        }
        catch (NotificationValidationException ex)
        {
            return Problems.Invalid(logger, client, ex.Errors);
        }
        catch (NotificationPublishException ex)
        {
            ApiLog.PublishFailed(logger, client.Name, ex.Message);
            return Problems.Unavailable(http, "Kafka did not acknowledge the write; retry.");
        }
    }

    private static async Task<(T? Body, byte[] Raw, (int Status, string Code, IResult Result)? Problem)> ReadBodyAsync<T>(HttpContext http, int maxBytes)
        where T : class
    {
        if (http.Request.ContentLength > maxBytes)
        {
            return (null, [], Problems.TooLarge(maxBytes));
        }

        if (http.Request.ContentType is { } ct && !ct.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, [], Problems.Bad(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "Send the body as application/json."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return (null, [], Problems.TooLarge(maxBytes));
            }
        }

        var raw = buffer.ToArray();
        if (raw.Length == 0)
        {
            return (null, raw, Problems.Bad(StatusCodes.Status400BadRequest, "missing-body", "Missing body", "The request needs a JSON body."));
        }

        try
        {
            var body = JsonSerializer.Deserialize<T>(raw, Json);
            return body is null
                ? (null, raw, Problems.Bad(StatusCodes.Status400BadRequest, "malformed-json", "Malformed JSON", "The body must be a JSON object."))
                : (body, raw, null);
        }
        catch (JsonException ex)
        {
            // System.Text.Json's message names the path ($.userId) and what was wrong; it never echoes the payload.
            return (null, raw, Problems.Bad(StatusCodes.Status400BadRequest, "malformed-json", "Malformed JSON", ex.Message));
        }
    }
}

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

internal static class Problems
{
    public static IResult Unauthorized() => Count(StatusCodes.Status401Unauthorized, "unauthorized", Make(StatusCodes.Status401Unauthorized, "unauthorized", "Missing or unknown API key", $"Send a valid key in the {ApiKeyAuthenticator.HeaderName} header."));

    public static (int, string, IResult) TooLarge(int max)
        => Bad(StatusCodes.Status413PayloadTooLarge, "body-too-large", "Body too large", $"The request body exceeds {max} bytes.");

    public static (int, string, IResult) Bad(int status, string code, string title, string detail) => (status, code, Count(status, code, Make(status, code, title, detail)));

    public static IResult Reject(ILogger logger, ApiClient client, int status, string code, string title, string detail)
    {
        ApiLog.Rejected(logger, client.Name, status, code);
        return Count(status, code, Make(status, code, title, detail));
    }

    public static IResult Invalid(ILogger logger, ApiClient client, IReadOnlyList<ValidationError> errors)
    {
        ApiLog.Rejected(logger, client.Name, StatusCodes.Status400BadRequest, errors[0].Code);
        return Count(StatusCodes.Status400BadRequest, errors[0].Code, Make(StatusCodes.Status400BadRequest, errors[0].Code, "Invalid request",
            string.Join(" ", errors.Select(e => e.Message)),
            errors.Select(e => new ApiError(e.Field, e.Code, e.Message)).ToList()));
    }

    public static IResult Unavailable(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = "1";
        return Count(StatusCodes.Status503ServiceUnavailable, "kafka-unavailable", Make(StatusCodes.Status503ServiceUnavailable, "kafka-unavailable", "Temporarily unavailable", detail));
    }

    public static Task Write(HttpContext http, int status, string code, string title, string detail)
    {
        ApiMetrics.Rejected(status, code);
        return Make(status, code, title, detail).ExecuteAsync(http);
    }

    private static IResult Count(int status, string code, IResult result)
    {
        ApiMetrics.Rejected(status, code);
        return result;
    }

    private static IResult Make(int status, string code, string title, string detail, List<ApiError>? errors = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = $"https://streaming.dev/problems/{code}",
        };
        problem.Extensions["code"] = code;
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        return Results.Problem(problem);
    }
}
