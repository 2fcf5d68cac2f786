using Streaming.Contracts;
using Streaming.DeliveryLog;

namespace Streaming.Api;

/// <summary>
/// GET /v1/notifications/{eventId}: what happened to one notification, read from the delivery log, so every API
/// instance answers the same (with the Cassandra store, whichever sender instance wrote the rows).
/// </summary>
internal static class StatusEndpoint
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/notifications/{eventId}", GetStatus)
            .WithName("GetNotificationStatus")
            .WithTags(nameof(NotificationApi))
            .WithSummary("What happened to one notification: a summary state and the latest outcome per channel and target.")
            .WithDescription("Reads the delivery log. state is one of " + string.Join(", ", NotificationStates.All) + ". "
                + "Targets are masked as in the platform's logs; a target appears with its first outcome. "
                + "Only the client that sent the notification may read it, unless its key may read every status; any other "
                + "event ID answers 404, whether it exists or not.")
            .Produces<NotificationStatus>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> GetStatus(string eventId, HttpContext http, ApiKeyAuthenticator auth, IDeliveryLog log, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Streaming.Api.Status");
        var client = auth.Authenticate(http.Request.Headers[ApiKeyAuthenticator.HeaderName]);
        if (client is null)
        {
            return Problems.Unauthorized();
        }

        if (!EventIds.IsValid(eventId))
        {
            return Problems.Reject(logger, client, StatusCodes.Status400BadRequest, "invalid-event-id", "Invalid event ID", EventIds.Rule);
        }

        IReadOnlyList<DeliveryLogEntry> rows;
        try
        {
            rows = await log.ReadAsync(eventId, http.RequestAborted);
        }
        catch (DeliveryLogUnavailableException e)
        {
            ApiMetrics.LogError("read_status");
            ApiLog.StatusReadFailed(logger, eventId, client.Name, e.Message);
            return Problems.Unavailable(http, "The delivery log cannot be read right now; retry.", "delivery-log-unavailable", retryAfterSeconds: 5);
        }

        // Someone else's notification answers exactly like an unknown one: a client learns nothing about IDs it did not send.
        if (rows.Count == 0 || !NotificationStatusBuilder.MayRead(client, rows))
        {
            return Problems.Reject(logger, client, StatusCodes.Status404NotFound, "notification-not-found", "Unknown notification",
                $"No notification '{eventId}' sent by '{client.Name}' is known.");
        }

        return Results.Ok(NotificationStatusBuilder.Build(eventId, rows));
    }
}
