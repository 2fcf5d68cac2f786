using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streaming.Contracts;

namespace Streaming.Senders;

/// <summary>
/// Dead-letters a record: its original bytes go to the DLQ with why and where in the headers, so it can be fixed and
/// replayed; a readable record also gets its dead_lettered outcome (log row and status).
/// </summary>
internal sealed class DeadLetterWriter(ChannelSenderOptions options, SenderClients clients, OutcomeWriter outcomes, SenderCounters counters, ILogger logger)
{
    /// <param name="n">The record's notification, or null when it could not be read.</param>
    public async Task WriteAsync(ConsumeResult<string?, byte[]?> r, ChannelNotification? n, int attempt, string reason, string? error, CancellationToken ct)
    {
        var headers = DeadLetterHeaders.For(r.Message.Headers, reason, $"sender-{options.Channel}", error, new DeadLetterOrigin(r.Topic, r.Partition.Value, r.Offset.Value, attempt));
        TraceContext.Inject(System.Diagnostics.Activity.Current, headers);
        counters.DeadLetter(reason);
        // Provider errors can quote the target ("The 'To' number +49… is not valid"): mask it in the log line.
        SenderLog.DeadLettered(logger, options.Channel, r.Topic, r.Partition.Value, r.Offset.Value, reason,
            n is null || error is null ? error : error.Replace(n.target, Pii.Mask(n.target), StringComparison.Ordinal));
        Task DlqRecord() => clients.ProduceAsync(options.ResolvedDeadLetterTopic, r.Message.Key, r.Message.Value, headers);
        if (n is null)
        {
            // Unreadable input has no event to report on: the DLQ record (with the reason) is its outcome.
            await outcomes.DurableAsync("?", DlqRecord, ct).ConfigureAwait(false);
            counters.UnreadableDeadLettered();
            return;
        }

        await outcomes.WriteAsync(r, n, Outcomes.DeadLettered, attempt, reason, error, null, ct, extra: DlqRecord).ConfigureAwait(false);
    }
}
