using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streaming.Contracts;
using Streaming.DeliveryLog;

namespace Streaming.Senders.Recording;

/// <summary>
/// The work of the <see cref="StatusRecorder"/> on one status record: decode it, and append it to the log when no sender
/// did, retrying while the log is unavailable or the registry unreachable.
/// </summary>
internal sealed class StatusAppender(
    StatusRecorderOptions options, IDeliveryLog log, CachedAvroDeserializer<DeliveryStatus> deserializer, TimeProvider time, ILogger logger, CancellationToken stop)
{
    private long recorded;
    private long skipped;
    private long unreadable;

    public long Recorded => Interlocked.Read(ref recorded);

    public long Skipped => Interlocked.Read(ref skipped);

    public long Unreadable => Interlocked.Read(ref unreadable);

    /// <summary>Completes once the record is in the log or needs no row; fails only by cancellation at stop.</summary>
    public async Task RecordAsync(ConsumeResult<string?, byte[]?> r)
    {
        if (r.Message.Value is not { } value)
        {
            return;
        }

        if (StatusRecorder.LoggedByWriter(r.Message.Headers))
        {
            Interlocked.Increment(ref skipped);
            return;
        }

        DeliveryStatus? status = null;
        try
        {
            await RetryAsync(r.Message.Key ?? "?", async () => status = await deserializer.DeserializeAsync(value, false,
                new SerializationContext(MessageComponentType.Value, r.Topic, r.Message.Headers)).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception e) when (!stop.IsCancellationRequested && !TransientErrors.IsTransient(e))
        {
            Interlocked.Increment(ref unreadable);
            StatusRecorderLog.Unreadable(logger, r.Topic, r.Partition.Value, r.Offset.Value, e.Message);
            return;
        }

        if (!StatusRecorder.NeedsRecording(status!))
        {
            Interlocked.Increment(ref skipped);
            return;
        }

        var entry = DeliveryLogEntry.From(status!, details: RecordOrigin.Of(r));
        await RetryAsync(status!.eventId, () => log.AppendAsync(entry, stop)).ConfigureAwait(false);
        Interlocked.Increment(ref recorded);
        SenderMetrics.StatusesRecordedCounter.Add(1, new KeyValuePair<string, object?>("outcome", status.outcome));
    }

    /// <summary>Retries <paramref name="call"/> while the log is unavailable or the registry unreachable, with backoff, until stopped.</summary>
    private Task RetryAsync(string eventId, Func<Task> call)
        => DurableRetry.RunAsync(call, e => e is DeliveryLogUnavailableException || TransientErrors.IsTransient(e),
            options.MaxRetryDelay, e => StatusRecorderLog.AppendFailed(logger, eventId, e.Message), time, stop);
}
