using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streaming.Contracts;
using Streamiz.Kafka.Net.Processors.Public;
using static Streaming.Processors.NotificationPolicy;

namespace Streaming.Processors;

/// <summary>
/// Everything "route" emits, forwarded on the task's context and counted: channel messages (keyed by userId), statuses
/// (keyed by eventId) and dead letters (the original key, bytes and headers plus the DLQ headers).
/// </summary>
internal sealed class RouteOutputs(ProcessorContext<string, Routed> context, ILogger logger, TimeProvider time)
{
    /// <summary>One channel message for a target, with the time from the request's creation to now as routing latency.</summary>
    public void Channel(NotificationRequested request, ChannelNotification message, Headers headers, DateTimeOffset now)
    {
        ProcessorMetrics.Route(message.channel, (now - Utc(request.createdAt)).TotalMilliseconds);
        context.Forward(request.userId, new ChannelOutput(message, headers));
    }

    /// <summary>A DeliveryStatus the topology decides itself (attempt 0): duplicate, held, expired, suppressed, failed, dead-lettered.</summary>
    public void Status(NotificationRequested request, string channel, string? target, string outcome, string reason, Headers headers, DateTimeOffset now)
    {
        ProcessorMetrics.Status(outcome, reason);
        context.Forward(request.eventId, new StatusOutput(DeliveryStatuses.About(request, channel, target, outcome, reason, now), headers));
    }

    /// <summary>The record as it came in, to the DLQ with why and where; plus a status when the request is readable.</summary>
    public void DeadLetter(Origin origin, NotificationRequested? request, string reason, string stage, string error)
    {
        ProcessorMetrics.DeadLetter(reason, stage);
        ProcessorLog.DeadLettered(logger, origin.Topic, origin.Partition, origin.Offset, reason, stage, error);

        var headers = DeadLetterHeaders.For(origin.Headers, reason, stage, error, new DeadLetterOrigin(origin.Topic, origin.Partition, origin.Offset));
        context.Forward(request?.userId ?? "", new DeadLetterOutput(origin.Key, origin.Value, headers));

        // The delivery log explains what happened to every request it can name.
        if (request is not null && reason != Reasons.InvalidEventId)
        {
            Status(request, Outcomes.NoChannel, null, Outcomes.DeadLettered, reason, RouteTrace.Derive(origin.Headers, request.eventId), time.GetUtcNow());
        }
    }
}
