using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Streaming.Contracts;
using Streaming.DeliveryLog;
using Streaming.Senders.Providers;

namespace Streaming.Senders;

/// <summary>
/// Makes outcomes durable: the delivery log row, the DeliveryStatus record and any extra record (retry, DLQ, device
/// tombstone), all acknowledged, and retried until they are, because a record's offset must not move before its outcome is durable.
/// </summary>
internal sealed class OutcomeWriter(
    ChannelSenderOptions options, SenderClients clients, IDeliveryLog log, string providerName, SenderCounters counters, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly byte[] LoggedValue = Encoding.ASCII.GetBytes("true");

    /// <summary>Writes one outcome of <paramref name="n"/> with <paramref name="extra"/> alongside; returns once all of it is acknowledged.</summary>
    public async Task WriteAsync(ConsumeResult<string?, byte[]?> r, ChannelNotification n, string outcome, int attempt, string? reason, string? error, string? providerMessageId, CancellationToken ct, Func<Task>? extra = null, bool forced = false)
    {
        var now = time.GetUtcNow();
        var provider = attempt == 0 ? null : providerName; // no provider handled an expired record
        var status = DeliveryStatuses.About(n, outcome, reason, now, attempt, provider, providerMessageId, error);
        var entry = DeliveryLogEntry.From(status, forced, RecordOrigin.Of(r));
        var headers = StatusHeaders(r.Message.Headers, n.eventId);
        Activity.Current?.SetTag("notification.event_id", n.eventId);
        Activity.Current?.SetTag("notification.outcome", outcome);

        await DurableAsync(n.eventId, async () =>
        {
            var bytes = await clients.StatusSerializer.SerializeAsync(status, new SerializationContext(MessageComponentType.Value, options.ResolvedStatusTopic, headers)).ConfigureAwait(false);
            await Task.WhenAll(
                log.AppendAsync(entry, ct),
                clients.ProduceAsync(options.ResolvedStatusTopic, n.eventId, bytes, headers),
                extra?.Invoke() ?? Task.CompletedTask).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);

        counters.Outcome(outcome, now - n.requestedAt.AsUtc());
        if (logger.IsEnabled(LogLevel.Debug))
        {
            SenderLog.Outcome(logger, n.eventId, Pii.Mask(n.target), n.channel, outcome, attempt, reason);
        }
    }

    /// <summary>Retries a durable write (Kafka, registry or log unavailable) until it succeeds: the offset must not move before it does.</summary>
    public Task DurableAsync(string eventId, Func<Task> write, CancellationToken ct)
        => DurableRetry.RunAsync(write, e => e is KafkaException or DeliveryLogUnavailableException or SchemaRegistryException or HttpRequestException,
            MaxRetryDelay, e => SenderLog.DurableWriteFailed(logger, eventId, e.Message), time, ct);

    /// <summary>The status record's headers: its event ID, and the trace of the channel record continued by this sender's span.</summary>
    private static Headers StatusHeaders(Headers? channelRecord, string eventId)
    {
        // Logged: the row is appended together with this record, so the status recorder need not decode it.
        var headers = new Headers { { HeaderNames.EventId, Encoding.UTF8.GetBytes(eventId) }, { HeaderNames.Logged, LoggedValue } };
        foreach (var name in new[] { HeaderNames.TraceParent, HeaderNames.TraceState })
        {
            if (channelRecord?.TryGetLastBytes(name, out var value) == true)
            {
                headers.Add(name, value);
            }
        }

        TraceContext.Inject(Activity.Current, headers);
        return headers;
    }
}
