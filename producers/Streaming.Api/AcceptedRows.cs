using Streaming.Contracts;
using Streaming.DeliveryLog;

namespace Streaming.Api;

/// <summary>
/// The "accepted" row of a request Kafka acknowledged: the first thing a status read shows. Best effort: the request is
/// in Kafka already, so a log that fails or is slow is logged and counted, and the client still gets its 202.
/// </summary>
internal static class AcceptedRows
{
    public static async Task AppendAsync(IDeliveryLog log, NotificationRequested request, string client, TimeProvider time, TimeSpan timeout, ILogger logger)
    {
        var entry = new DeliveryLogEntry(
            request.eventId, Outcomes.NoChannel, "", Outcomes.Accepted, 0, request.userId, request.category,
            RequestedAt: new DateTimeOffset(DateTime.SpecifyKind(request.createdAt, DateTimeKind.Utc)),
            OccurredAt: time.GetUtcNow(),
            SourceService: client);
        try
        {
            // Not the request's token: the client going away after the acknowledgement does not undo the acceptance.
            await log.AppendAsync(entry, CancellationToken.None).WaitAsync(timeout, time);
        }
        catch (Exception e) when (e is DeliveryLogUnavailableException or TimeoutException or ObjectDisposedException)
        {
            ApiMetrics.LogError("append_accepted");
            ApiLog.AcceptedRowFailed(logger, request.eventId, e.Message);
        }
    }
}
