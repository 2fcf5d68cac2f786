using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Contracts;
using Streaming.DeliveryLog;

namespace Streaming.Senders.Recording;

/// <summary>
/// Makes the delivery log know every outcome: reads notifications.delivery-status (group "delivery-log-recorder") and
/// appends the statuses no sender wrote itself, the topology's (suppressed, deferred, scheduled, duplicate, expired,
/// dead-lettered, failed for want of an address). The senders append their own outcomes before they produce them.
/// </summary>
/// <remarks>
/// At-least-once: a batch's offsets are stored only after all its appends are durable, and librdkafka commits what is
/// stored. A batch read again after a crash or a rebalance appends nothing new, because the log keeps one row per
/// (event, channel, target, occurred_at, outcome, attempt). An unavailable log holds the batch and is retried with
/// backoff; a status that cannot be decoded is logged and skipped (nothing could ever record it).
/// </remarks>
public sealed class StatusRecorder : IHostedService, IAsyncDisposable
{
    private readonly StatusRecorderOptions options;
    private readonly IDeliveryLog log;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource assigned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ISchemaRegistryClient? registry;
    private StatusAppender? appender;
    private Task? loop;

    public StatusRecorder(StatusRecorderOptions options, IDeliveryLog log, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        OptionProblems.ThrowIfAny(options.Validate(), nameof(options));

        this.options = options;
        this.log = log;
        this.time = time ?? TimeProvider.System;
        logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<StatusRecorder>();
    }

    /// <summary>Statuses appended to the log.</summary>
    public long Recorded => appender?.Recorded ?? 0;

    /// <summary>Statuses passed over because their sender logged them itself (<see cref="LoggedByWriter"/>, or <see cref="NeedsRecording"/> is false).</summary>
    public long Skipped => appender?.Skipped ?? 0;

    /// <summary>Status records that could not be decoded.</summary>
    public long Unreadable => appender?.Unreadable ?? 0;

    /// <summary>Completes on the first partition assignment.</summary>
    public Task Assigned => assigned.Task;

    /// <summary>
    /// Whether the recorder appends <paramref name="status"/>: attempt 0 and no provider, which only the topology writes
    /// (a sender's outcome of a provider call carries its attempt and provider, and the sender logged it already). A
    /// sender's own expired outcome matches too; appending it again leaves the one row it already has.
    /// </summary>
    public static bool NeedsRecording(DeliveryStatus status) => status.attempt == 0 && status.provider is null;

    /// <summary>
    /// Whether the status record says its writer logged it (<see cref="HeaderNames.Logged"/>): passed over before
    /// decoding, which spares the recorder the Avro work of every sender outcome. Without the header,
    /// <see cref="NeedsRecording"/> decides.
    /// </summary>
    public static bool LoggedByWriter(Headers? headers)
        => headers?.TryGetLastBytes(HeaderNames.Logged, out var value) == true && value.AsSpan().SequenceEqual("true"u8);

    /// <summary>Subscribes and starts reading on a dedicated thread; returns without waiting for the group join.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (loop is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        registry = options.SchemaRegistry.CreateClient();
        appender = new StatusAppender(options, log, AvroSerdes.Deserializer<DeliveryStatus>(registry), time, logger, stop.Token);
        var consumer = Build();
        loop = Task.Factory.StartNew(() => Run(consumer), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        StatusRecorderLog.Started(logger, options.GroupId, options.ResolvedTopic);
        return Task.CompletedTask;
    }

    /// <summary>Stops reading; a batch whose appends are not durable yet keeps its offsets unstored. Commits and leaves the group.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (loop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        registry?.Dispose();
        stop.Dispose();
    }

    private IConsumer<string?, byte[]?> Build()
    {
        var config = options.ConsumerConfig();
        var resetIsError = config.AutoOffsetReset == AutoOffsetReset.Error;
        return new ConsumerBuilder<string?, byte[]?>(config)
            .SetErrorHandler((_, e) => StatusRecorderLog.ClientError(logger, e.Code, e.Reason))
            .SetPartitionsAssignedHandler((c, tps) =>
            {
                StatusRecorderLog.Assigned(logger, string.Join(",", tps.Select(t => $"{t.Topic}[{t.Partition.Value}]")));
                assigned.TrySetResult();
                return resetIsError && tps.Count > 0
                    ? GroupStart.Positions(c, tps, (e, _) => StatusRecorderLog.ClientError(logger, e.Error.Code, "reading committed offsets failed: " + e.Error.Reason))
                    : tps.Select(tp => new TopicPartitionOffset(tp, Offset.Unset));
            })
            .Build();
    }

    private void Run(IConsumer<string?, byte[]?> consumer)
    {
        try
        {
            consumer.Subscribe(options.ResolvedTopic);
            while (!stop.IsCancellationRequested)
            {
                var batch = Fetch(consumer);
                if (batch.Count == 0)
                {
                    continue;
                }

                try
                {
                    Task.WhenAll(batch.Select(appender!.RecordAsync)).Wait(stop.Token);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    break; // stopped while the log was unavailable: this batch is read again by the next owner
                }

                Store(consumer, batch);
            }
        }
        catch (KafkaException e)
        {
            StatusRecorderLog.ClientError(logger, e.Error.Code, e.Message);
        }
        finally
        {
            Shutdown(consumer);
            StatusRecorderLog.Stopped(logger, Recorded);
        }
    }

    /// <summary>What is fetched already, up to <see cref="StatusRecorderOptions.MaxBatch"/>, waiting briefly for the first record only.</summary>
    private List<ConsumeResult<string?, byte[]?>> Fetch(IConsumer<string?, byte[]?> consumer)
    {
        var batch = new List<ConsumeResult<string?, byte[]?>>();
        var wait = TimeSpan.FromMilliseconds(100);
        while (batch.Count < options.MaxBatch)
        {
            ConsumeResult<string?, byte[]?>? r;
            try
            {
                r = consumer.Consume(wait);
            }
            catch (ConsumeException e)
            {
                StatusRecorderLog.ClientError(logger, e.Error.Code, e.Error.Reason);
                break;
            }

            if (r is null)
            {
                break;
            }

            if (r.Message is not null)
            {
                batch.Add(r);
            }

            wait = TimeSpan.Zero;
        }

        return batch;
    }

    /// <summary>Stores the next offset of each partition of a recorded batch; librdkafka commits what is stored.</summary>
    private static void Store(IConsumer<string?, byte[]?> consumer, List<ConsumeResult<string?, byte[]?>> batch)
    {
        foreach (var last in batch.GroupBy(r => r.TopicPartition).Select(g => g.MaxBy(r => r.Offset.Value)!))
        {
            try
            {
                consumer.StoreOffset(new TopicPartitionOffset(last.TopicPartition, last.Offset + 1));
            }
            catch (KafkaException)
            {
                // No longer assigned (_STATE): the new owner reads the batch again, and appends nothing new.
            }
        }
    }

    /// <summary>Commits what is stored and leaves the group, then destroys the handle; each call bounded (see <see cref="ClientTeardown"/>).</summary>
    private void Shutdown(IConsumer<string?, byte[]?> consumer) => ClientTeardown.EndConsumer(consumer, leaveGroup: true, Teardown);

    private bool Teardown(Action call, string step)
    {
        if (ClientTeardown.Run(call, options.CloseTimeout, "status-recorder-teardown"))
        {
            return true;
        }

        StatusRecorderLog.TeardownAbandoned(logger, step, options.CloseTimeout);
        return false;
    }
}
