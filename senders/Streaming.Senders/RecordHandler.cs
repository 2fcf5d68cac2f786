using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streaming.Contracts;
using Streaming.DeliveryLog;
using Streaming.Senders.Providers;

namespace Streaming.Senders;

/// <summary>
/// One record from its lane to its outcome: read it, check it (readable, right channel, not expired, not delivered
/// before), call the provider, and decide what its answer means: delivered, failed, the retry topic or the DLQ.
/// </summary>
internal sealed class RecordHandler(
    ChannelSenderOptions options, SenderClients clients, IDeliveryLog log, DeliveryPipeline pipeline, OutcomeWriter outcomes,
    DeadLetterWriter deadLetters, SenderCounters counters, StopSignals stop, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// Deliveries whose log row is still being written (outcomes are pipelined, see <see cref="KeyedLanes"/>): a repeat
    /// of one counts as delivered although the log does not say so yet.
    /// </summary>
    private readonly ConcurrentDictionary<(string EventId, string Channel, string Target), byte> delivering = new();

    /// <summary>
    /// Handles one record and returns whether it finished (its outcome durable). Completes <paramref name="released"/>
    /// once the provider has answered, before the outcome is written: the lane then starts its next record while the
    /// outcome becomes durable. Records that never reach a provider release the lane when this returns.
    /// </summary>
    public async Task<bool> HandleAsync(ConsumeResult<string?, byte[]?> record, TaskCompletionSource released)
    {
        using var activity = SenderMetrics.ActivitySource.StartActivity($"notification.send.{options.Channel}", ActivityKind.Consumer, TraceContext.Extract(record.Message.Headers));
        activity?.SetTag("messaging.destination.name", record.Topic);
        activity?.SetTag("messaging.kafka.offset", record.Offset.Value);
        try
        {
            await ProcessAsync(record, released, stop.WorkToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false; // shutdown deadline passed mid-record: left unfinished on purpose
        }
        catch (ObjectDisposedException)
        {
            return false; // the log or producer went away under a stopping sender: unfinished, redelivered later
        }
        catch (Exception e)
        {
            // A bug must not pin the partition's commit position forever: dead-letter the record (its bytes stay
            // replayable from the DLQ). Infrastructure failures never get here: they are retried by the outcome writer.
            SenderLog.ProcessingFailed(logger, e, options.Channel, record.Topic, record.Partition.Value, record.Offset.Value);
            released.TrySetResult();
            try
            {
                await deadLetters.WriteAsync(record, null, 1, "processing-error", e.Message, stop.StopWorkToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception dlqError) when (dlqError is OperationCanceledException or KafkaException or ObjectDisposedException)
            {
                return false; // still unfinished: redelivered after a restart
            }
        }
        finally
        {
            released.TrySetResult();
        }
    }

    private async Task ProcessAsync(ConsumeResult<string?, byte[]?> r, TaskCompletionSource released, CancellationToken ct)
    {
        var attempt = RetryHeaders.AttemptOf(r.Message.Headers);
        if (r.Message.Value is null)
        {
            await deadLetters.WriteAsync(r, null, attempt, "null-value", "A channel record must carry a ChannelNotification.", ct).ConfigureAwait(false);
            return;
        }

        ChannelNotification n;
        try
        {
            n = await clients.Deserializer.DeserializeAsync(r.Message.Value, false, new SerializationContext(MessageComponentType.Value, r.Topic, r.Message.Headers)).ConfigureAwait(false);
        }
        catch (Exception e) when (!TransientErrors.IsTransient(e))
        {
            await deadLetters.WriteAsync(r, null, attempt, "deserialization-failed", e.Message, ct).ConfigureAwait(false);
            return;
        }

        if (n.channel != options.Channel)
        {
            await deadLetters.WriteAsync(r, n, attempt, "wrong-channel", $"Record for channel '{n.channel}' on the {options.Channel} sender.", ct).ConfigureAwait(false);
            return;
        }

        if (n.expiresAt is { } expiresAt && expiresAt.AsUtc() <= time.GetUtcNow())
        {
            await outcomes.WriteAsync(r, n, Outcomes.Expired, 0, "expired", null, null, ct).ConfigureAwait(false);
            return;
        }

        var key = (n.eventId, n.channel, n.target);
        var forced = ReplayHeaders.IsForced(r.Message.Headers);
        if (forced)
        {
            // A replay with --force: the operator asked for it to go out again, whatever the log says.
            counters.ForcedRedelivery();
            SenderLog.ForcedRedelivery(logger, n.eventId, Pii.Mask(n.target), n.channel);
        }
        else if (await WasDeliveredAsync(key, ct).ConfigureAwait(false))
        {
            // A redelivered record (crash or rebalance before the commit): the user already has it.
            counters.DuplicateSkipped();
            SenderLog.SkippedDuplicate(logger, n.eventId, Pii.Mask(n.target), n.channel);
            return;
        }

        var result = await pipeline.SendAsync(n, ct).ConfigureAwait(false);
        if (result.Outcome == ProviderOutcome.Delivered)
        {
            delivering.TryAdd(key, 0);
            released.TrySetResult();
            try
            {
                await outcomes.WriteAsync(r, n, Outcomes.Delivered, attempt, null, null, result.MessageId, ct, forced: forced).ConfigureAwait(false);
            }
            finally
            {
                delivering.TryRemove(key, out _);
            }

            return;
        }

        released.TrySetResult();
        await NotDeliveredAsync(r, n, attempt, result, ct).ConfigureAwait(false);
    }

    /// <remarks>
    /// An unavailable log is not the record's fault: the check is retried like an outcome write (the lane and the offset
    /// wait) rather than let the exception dead-letter a message nobody has received, without a status or log row.
    /// </remarks>
    private async Task<bool> WasDeliveredAsync((string EventId, string Channel, string Target) key, CancellationToken ct)
    {
        var delivered = delivering.ContainsKey(key);
        if (!delivered)
        {
            await outcomes.DurableAsync(key.EventId, async () => delivered = await log.WasDeliveredAsync(key.EventId, key.Channel, key.Target, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        }

        return delivered;
    }

    /// <summary>A provider answer other than delivered: failed for good, the next retry tier, or the DLQ once the tiers are used up.</summary>
    private async Task NotDeliveredAsync(ConsumeResult<string?, byte[]?> r, ChannelNotification n, int attempt, ProviderResult result, CancellationToken ct)
    {
        switch (result.Outcome)
        {
            case ProviderOutcome.InvalidTarget:
                // A dead push token is removed from the user's devices (a tombstone on the compacted topic).
                await outcomes.WriteAsync(r, n, Outcomes.Failed, attempt, result.Reason ?? "invalid-target", result.Error, null, ct,
                    extra: options.Channel is Channels.Apns or Channels.Fcm
                        ? () => clients.ProduceAsync(options.ResolvedDevicesTopic, Topics.DeviceKey(n.userId, n.target), null, null)
                        : null).ConfigureAwait(false);
                break;
            case ProviderOutcome.Permanent:
                await outcomes.WriteAsync(r, n, Outcomes.Failed, attempt, result.Reason ?? "rejected", result.Error, null, ct).ConfigureAwait(false);
                break;
            default:
                if (DeliveryPipeline.Tier(options, attempt) is { } delay)
                {
                    var headers = RetryHeaders.ForNextAttempt(r.Message.Headers, attempt + 1, time.GetUtcNow().Add(delay));
                    TraceContext.Inject(Activity.Current, headers);
                    await outcomes.WriteAsync(r, n, Outcomes.Retrying, attempt, result.Reason, result.Error, null, ct,
                        extra: () => clients.ProduceAsync(options.ResolvedRetryTopic, r.Message.Key, r.Message.Value, headers)).ConfigureAwait(false);
                }
                else
                {
                    await deadLetters.WriteAsync(r, n, attempt, "retries-exhausted", $"{result.Reason}: {result.Error}", ct).ConfigureAwait(false);
                }

                break;
        }
    }
}
