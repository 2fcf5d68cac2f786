using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Streaming.DeliveryLog;
using Streaming.Producers;

namespace Streaming.Api;

/// <summary>
/// POST /v1/notifications: authenticate, rate-limit, read and validate the body, honour the Idempotency-Key, then
/// publish to notifications.requested and note the acceptance in the delivery log.
/// </summary>
internal static class NotificationEndpoint
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/notifications", SendNotification)
            .WithName("SendNotification")
            // The tag the published document has always carried (a method-group endpoint is tagged with its declaring type).
            .WithTags(nameof(NotificationApi))
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
        IDeliveryLog log,
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
        var (body, rawBody, bodyProblem) = await RequestBodyReader.ReadAsync<NotificationBody>(http, opts.MaxBodyBytes);
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
            var prepared = publisher.Prepare(request);
            var receipt = await publisher.PublishAsync(prepared, http.RequestAborted);
            entry?.Published.TrySetResult(true);
            await AcceptedRows.AppendAsync(log, prepared, client.Name, time, opts.AcceptedRowTimeout, logger);
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
}
