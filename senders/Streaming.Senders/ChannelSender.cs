using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.DeliveryLog;
using Streaming.Contracts;
using Streaming.Senders.Providers;

namespace Streaming.Senders;

/// <summary>Counts of one sender since it started.</summary>
public sealed record SenderStats(long Delivered, long Failed, long Expired, long Retried, long DeadLettered, long DuplicatesSkipped, long CircuitOpened, long CircuitClosed);

/// <summary>
/// The sender of one channel: one consumer (group "senders-&lt;channel&gt;") on the channel topic and its retry topic,
/// records dispatched to lanes by user key (one user's records stay in order, different users run in parallel), every
/// outcome made durable (delivery log row + DeliveryStatus, plus retry/DLQ/tombstone records) before its offset is
/// stored, and only the per-partition low-water mark of finished work is ever stored or committed.
/// </summary>
/// <remarks>
/// Start in-process with <c>new ChannelSender(options, providers, log, loggerFactory)</c> + <see cref="StartAsync"/>, or
/// through <c>services.AddChannelSenders(configuration)</c> (hosted services).
/// </remarks>
public sealed class ChannelSender : IHostedService, IAsyncDisposable
{
    private readonly ChannelSenderOptions options;
    private readonly IDeliveryLog log;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly INotificationProvider provider;
    private readonly DeliveryPipeline pipeline;
    private readonly Channel<WorkItem>[] lanes;
    private readonly Dictionary<TopicPartition, PartitionProgress> partitions = [];
    private readonly Dictionary<TopicPartition, DateTimeOffset> retryPaused = [];
    private readonly HashSet<TopicPartition> paused = [];
    private readonly ConcurrentDictionary<(string EventId, string Channel, string Target), byte> delivering = new();
    private readonly CancellationTokenSource stopLoop = new();
    private readonly CancellationTokenSource stopWork = new();
    private readonly TaskCompletionSource assigned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly KeyValuePair<string, object?> channelTag;
    private readonly KeyValuePair<string, object?> providerTag;
    private IConsumer<string?, byte[]?>? consumer;
    private IProducer<string?, byte[]?>? producer;
    private ISchemaRegistryClient? registry;
    private IAsyncSerializer<DeliveryStatus>? statusSerializer;
    private IAsyncDeserializer<ChannelNotification>? deserializer;
    private Task? loop;
    private Task[] laneTasks = [];
    private int inFlight;
    private bool backpressure;
    private volatile bool stopping;
    private volatile bool aborted;
    private int stopped;
    private long abandonedTeardowns;
    private long delivered, failed, expired, retried, deadLettered, skipped;

    public ChannelSender(ChannelSenderOptions options, ProvidersOptions providers, IDeliveryLog log, ILoggerFactory? loggerFactory = null, TimeProvider? time = null, INotificationProvider? provider = null)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        this.options = options;
        this.log = log;
        this.time = time ?? TimeProvider.System;
        logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger($"Streaming.Senders.ChannelSender.{options.Channel}");
        this.provider = provider ?? ProviderFactory.Create(options.Channel, providers, this.time);
        pipeline = new DeliveryPipeline(this.provider, options, logger, this.time);
        lanes = Enumerable.Range(0, options.Lanes).Select(_ => System.Threading.Channels.Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true })).ToArray();
        channelTag = new("channel", options.Channel);
        providerTag = new("provider", this.provider.Name);
    }

    public string Channel => options.Channel;

    public ChannelSenderOptions Options => options;

    public DeliveryPipeline Pipeline => pipeline;

    /// <summary>Completes when the consumer got its first partition assignment (a new group takes a few seconds).</summary>
    public Task Assigned => assigned.Task;

    /// <summary>Teardown calls at stop (consumer close, handle destroy) abandoned after <see cref="ChannelSenderOptions.CloseTimeout"/>.</summary>
    public long AbandonedTeardowns => Interlocked.Read(ref abandonedTeardowns);

    public SenderStats Stats => new(
        Interlocked.Read(ref delivered), Interlocked.Read(ref failed), Interlocked.Read(ref expired), Interlocked.Read(ref retried),
        Interlocked.Read(ref deadLettered), Interlocked.Read(ref skipped), pipeline.CircuitOpenedCount, pipeline.CircuitClosedCount);

    /// <summary>Connects and starts consuming on a dedicated thread; returns without waiting for the group join (see <see cref="Assigned"/>).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (loop is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        registry = options.SchemaRegistry.CreateClient();
        statusSerializer = AvroSerdes.Serializer<DeliveryStatus>(registry);
        // Async: the first records of every lane would otherwise block pool threads on the same registry lookup
        // (sync-over-async) and starve the thread pool for seconds.
        deserializer = AvroSerdes.Deserializer<ChannelNotification>(registry);
        producer = new ProducerBuilder<string?, byte[]?>(ProducerConfig())
            .SetLogHandler((_, m) => SenderLog.Librdkafka(logger, m.Facility, m.Message))
            .SetErrorHandler((_, e) => SenderLog.ClientError(logger, options.Channel, "producer", e.Code, e.Reason))
            .Build();
        consumer = BuildConsumer();
        laneTasks = lanes.Select(l => Task.Run(() => LaneAsync(l))).ToArray();
        loop = Task.Factory.StartNew(ConsumeLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        SenderLog.Started(logger, options.Channel, options.ResolvedGroupId, options.ResolvedTopic, options.ResolvedRetryTopic, provider.Name);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Graceful stop: consuming stops, every record already fetched is finished (bounded by
    /// <see cref="ChannelSenderOptions.DrainTimeout"/>), the low-water marks are stored and committed, and the consumer
    /// leaves the group.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await StopCoreAsync(abort: false).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Crash simulation for tests: stops at once without draining, storing or committing anything more, and without
    /// <c>Close()</c> (disposing the consumer lets librdkafka commit only what was stored before, as after a crash right
    /// after an auto-commit). Provider calls already running finish and log their outcome; a crash inside a provider call
    /// is the duplicate window described in senders/README.md.
    /// </summary>
    public Task AbortAsync() => StopCoreAsync(abort: true);

    public async ValueTask DisposeAsync()
    {
        await StopCoreAsync(abort: false).ConfigureAwait(false);
        pipeline.Dispose();
        provider.Dispose();
        stopLoop.Dispose();
        stopWork.Dispose();
    }

    private async Task StopCoreAsync(bool abort)
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1 || loop is null)
        {
            await (loop ?? Task.CompletedTask).ConfigureAwait(false);
            return;
        }

        aborted = abort;
        if (abort)
        {
            stopping = true; // nothing queued starts any more
            SenderLog.Aborted(logger, options.Channel);
        }

        await stopLoop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        foreach (var lane in lanes)
        {
            lane.Writer.TryComplete();
        }

        await Task.WhenAll(laneTasks).ConfigureAwait(false);
        if (producer is { } p)
        {
            p.Flush(TimeSpan.FromSeconds(10));
            Teardown(p.Dispose, "destroying the producer");
        }

        registry?.Dispose();
        SenderLog.Stopped(logger, options.Channel, !abort);
    }

    private ProducerConfig ProducerConfig()
    {
        var config = new ProducerConfig(options.Producer.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            // Retry/DLQ/status records must not be lost or doubled by producer retries.
            EnableIdempotence = true,
            Acks = Acks.All,
        };
        config.LingerMs ??= 5;
        // Only the acknowledgement matters: do not copy key, value and headers back into managed memory per record.
        config.DeliveryReportFields ??= "none";
        return config;
    }

    private IConsumer<string?, byte[]?> BuildConsumer()
    {
        var config = new ConsumerConfig(options.Consumer.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            GroupId = options.ResolvedGroupId,
            // At-least-once: offsets are stored by hand once the outcome is durable; librdkafka auto-commits what is stored.
            EnableAutoOffsetStore = false,
            EnableAutoCommit = true,
            EnablePartitionEof = false,
        };
        config.AutoCommitIntervalMs ??= 1000;
        // "error" (the local profile) makes an out-of-range offset (records lost to retention) an error instead of a silent
        // skip. A partition the group never committed is not that case: it starts from the beginning (see OnAssigned).
        config.AutoOffsetReset ??= AutoOffsetReset.Earliest;
        var resetIsError = config.AutoOffsetReset == AutoOffsetReset.Error;
        return new ConsumerBuilder<string?, byte[]?>(config)
            .SetLogHandler((_, m) => SenderLog.Librdkafka(logger, m.Facility, m.Message))
            .SetErrorHandler((_, e) =>
            {
                if (e.IsFatal || e.Code == ErrorCode.Local_AutoOffsetReset)
                {
                    // Fatal, or records were lost before this group read them (auto.offset.reset=error): needs a human.
                    SenderLog.ConsumeError(logger, options.Channel, e.Code, e.Reason);
                }
                else
                {
                    SenderLog.ClientError(logger, options.Channel, "consumer", e.Code, e.Reason);
                }
            })
            .SetPartitionsAssignedHandler((c, tps) => OnAssigned(c, tps, resetIsError))
            .SetPartitionsRevokedHandler((c, tpos) => OnRevoked(c, tpos.Select(t => t.TopicPartition).ToList(), lost: false))
            .SetPartitionsLostHandler((c, tpos) => OnRevoked(c, tpos.Select(t => t.TopicPartition).ToList(), lost: true))
            .Build();
    }

    private IEnumerable<TopicPartitionOffset> OnAssigned(IConsumer<string?, byte[]?> c, List<TopicPartition> tps, bool resetIsError)
    {
        foreach (var tp in tps)
        {
            partitions[tp] = new PartitionProgress(tp);
        }

        SenderLog.Assigned(logger, options.Channel, string.Join(",", tps.Select(t => $"{t.Topic}[{t.Partition.Value}]")));
        assigned.TrySetResult();
        if (!resetIsError || tps.Count == 0)
        {
            return tps.Select(tp => new TopicPartitionOffset(tp, Offset.Unset));
        }

        // A brand-new group (or partition) has no committed offset: with auto.offset.reset=error it would never start,
        // so such partitions start explicitly at the beginning, while an out-of-range committed offset stays an error.
        for (var tries = 1; ; tries++)
        {
            try
            {
                var committed = c.Committed(tps, TimeSpan.FromSeconds(10));
                return committed.Select(tpo => tpo.Offset.Value >= 0 ? tpo : new TopicPartitionOffset(tpo.TopicPartition, Offset.Beginning));
            }
            catch (KafkaException e) when (tries < 3)
            {
                SenderLog.ClientError(logger, options.Channel, "consumer", e.Error.Code, "reading committed offsets failed: " + e.Error.Reason);
            }
            catch (KafkaException e)
            {
                // Fall back to the committed offsets librdkafka reads itself; a partition without one then reports the
                // auto.offset.reset=error instead of the whole sender stopping.
                SenderLog.ConsumeError(logger, options.Channel, e.Error.Code, "reading committed offsets failed: " + e.Error.Reason);
                return tps.Select(tp => new TopicPartitionOffset(tp, Offset.Unset));
            }
        }
    }

    private void OnRevoked(IConsumer<string?, byte[]?> c, List<TopicPartition> tps, bool lost)
    {
        var states = tps.Select(tp => partitions.GetValueOrDefault(tp)).OfType<PartitionProgress>().ToList();
        foreach (var s in states)
        {
            s.Closed = true; // queued records of these partitions are not started any more
        }

        if (lost || aborted)
        {
            if (lost)
            {
                SenderLog.Lost(logger, options.Channel, string.Join(",", tps));
            }
        }
        else
        {
            // Let running records finish so their offsets can be committed before the partition moves; whatever is still
            // unfinished after the deadline stays uncommitted and is redelivered to the next owner.
            var deadline = Stopwatch.StartNew();
            while (states.Any(s => s.Running > 0) && deadline.Elapsed < options.DrainTimeout)
            {
                Thread.Sleep(5); // blocking is expected inside a rebalance callback; bounded by DrainTimeout
            }

            // Stored, not committed here: with enable.auto.commit librdkafka commits the stored offsets of revoked partitions
            // itself, and the group waits for that commit before it moves on. A synchronous Commit() from this callback
            // waited forever once when the revocation came from Close() in a cooperative-sticky group (its reply never
            // came while close was serving this callback), which hung the sender's stop.
            StoreOffsets(c, states);
            SenderLog.Revoked(logger, options.Channel, string.Join(",", tps), states.Sum(s => s.Unfinished()));
        }

        foreach (var tp in tps)
        {
            partitions.Remove(tp);
            retryPaused.Remove(tp);
            paused.Remove(tp);
        }
    }

    private static void TryCommit(IConsumer<string?, byte[]?> c)
    {
        try
        {
            c.Commit();
        }
        catch (KafkaException)
        {
            // _NO_OFFSET (nothing stored) or a rebalance in progress: auto-commit or the next owner takes over.
        }
    }

    private void StoreOffsets(IConsumer<string?, byte[]?> c, IEnumerable<PartitionProgress> states)
    {
        foreach (var s in states)
        {
            if (s.CommitPosition() is { } position && position > s.Stored)
            {
                try
                {
                    c.StoreOffset(new TopicPartitionOffset(s.Partition, position));
                    s.Stored = position;
                }
                catch (KafkaException)
                {
                    // The partition is no longer assigned (_STATE): its new owner redelivers from the last commit.
                }
            }
        }
    }

    private void ConsumeLoop()
    {
        var c = consumer!;
        var maintenance = Stopwatch.StartNew();
        try
        {
            c.Subscribe([options.ResolvedTopic, options.ResolvedRetryTopic]);
            while (!stopLoop.IsCancellationRequested)
            {
                if (maintenance.ElapsedMilliseconds >= 20 || Volatile.Read(ref inFlight) >= options.MaxInFlight || backpressure)
                {
                    Maintain(c);
                    maintenance.Restart();
                }

                ConsumeResult<string?, byte[]?>? r;
                try
                {
                    r = c.Consume(TimeSpan.FromMilliseconds(50));
                }
                catch (ConsumeException e)
                {
                    SenderLog.ConsumeError(logger, options.Channel, e.Error.Code, e.Error.Reason);
                    if (e.Error.IsFatal)
                    {
                        break;
                    }

                    continue;
                }

                if (r?.Message is null || !partitions.TryGetValue(r.TopicPartition, out var progress))
                {
                    continue;
                }

                if (r.Topic == options.ResolvedRetryTopic && RetryHeaders.NotBefore(r.Message.Headers) is { } due)
                {
                    if (due > time.GetUtcNow())
                    {
                        // Not due yet: rewind and pause only this retry partition until then; every other partition keeps flowing.
                        c.Pause([r.TopicPartition]);
                        paused.Add(r.TopicPartition);
                        c.Seek(r.TopicPartitionOffset);
                        retryPaused[r.TopicPartition] = due;
                        continue;
                    }
                }

                progress.Dispatched(r.Offset.Value);
                Interlocked.Increment(ref inFlight);
                lanes[Lane(r.Message.Key)].Writer.TryWrite(new WorkItem(progress, r));
            }
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException)
        {
            SenderLog.ConsumeError(logger, options.Channel, (e as KafkaException)?.Error.Code ?? ErrorCode.Unknown, e.Message);
        }
        finally
        {
            Shutdown(c);
        }
    }

    private void Shutdown(IConsumer<string?, byte[]?> c)
    {
        var deadline = Stopwatch.StartNew();
        if (!aborted)
        {
            // Graceful: finish everything already fetched, so the commit lands exactly after it and a restart
            // redelivers nothing; whatever is still unfinished at the deadline is abandoned uncommitted.
            while (partitions.Values.Any(s => s.Unfinished() > 0) && deadline.Elapsed < options.DrainTimeout)
            {
                Thread.Sleep(5); // bounded by DrainTimeout
            }

            stopping = true;
        }

        foreach (var s in partitions.Values)
        {
            s.Closed = true;
        }

        while (partitions.Values.Any(s => s.Running > 0) && deadline.Elapsed < options.DrainTimeout)
        {
            Thread.Sleep(5); // running records finish (graceful) or log their outcome (abort); bounded
        }

        if (!aborted)
        {
            stopWork.Cancel(); // anything still running after the drain deadline is abandoned uncommitted
            StoreOffsets(c, partitions.Values);
            var left = Teardown(() =>
            {
                TryCommit(c);
                try
                {
                    c.Close(); // revokes through OnRevoked on this thread, commits what is stored, leaves the group
                }
                catch (KafkaException)
                {
                    // leaving the group failed; the coordinator times the member out
                }
            }, "committing and leaving the group (consumer close)");
            if (!left)
            {
                return; // still running on its own thread: destroying the handle under it would crash the process
            }
        }

        Teardown(c.Dispose, "destroying the consumer");
    }

    private bool Teardown(Action call, string step)
    {
        if (ClientTeardown.Run(call, options.CloseTimeout, $"sender-{options.Channel}-teardown"))
        {
            return true;
        }

        Interlocked.Increment(ref abandonedTeardowns);
        SenderLog.TeardownAbandoned(logger, options.Channel, step, options.CloseTimeout);
        return false;
    }

    private void Maintain(IConsumer<string?, byte[]?> c)
    {
        StoreOffsets(c, partitions.Values);
        var count = Volatile.Read(ref inFlight);
        backpressure = backpressure ? count > options.MaxInFlight / 2 : count >= options.MaxInFlight;
        var now = time.GetUtcNow();
        foreach (var (tp, due) in retryPaused.ToList())
        {
            if (due <= now)
            {
                retryPaused.Remove(tp);
            }
        }

        var desired = partitions.Keys.Where(tp => backpressure || retryPaused.ContainsKey(tp)).ToHashSet();
        var toPause = desired.Where(tp => !paused.Contains(tp)).ToList();
        var toResume = paused.Where(tp => !desired.Contains(tp)).ToList();
        if (toPause.Count > 0)
        {
            c.Pause(toPause);
            paused.UnionWith(toPause);
        }

        if (toResume.Count > 0)
        {
            c.Resume(toResume);
            paused.ExceptWith(toResume);
        }
    }

    private int Lane(string? key) => key is null ? 0 : (int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)lanes.Length);

    private async Task LaneAsync(Channel<WorkItem> lane)
    {
        // Outcomes of this lane still being made durable, oldest first. The lane moves on to its next record once the
        // provider call is over (per-user order is about sends); the offset waits for the outcome as before.
        var durable = new Queue<Task>();
        await foreach (var item in lane.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (item.Progress.Closed || stopping)
            {
                Interlocked.Decrement(ref inFlight);
                continue; // not started: stays uncommitted, redelivered to whoever owns the partition next
            }

            item.Progress.Started();
            var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var done = RecordAsync(item, released);
            await released.Task.ConfigureAwait(false);
            durable.Enqueue(done);
            while (durable.TryPeek(out var oldest) && (oldest.IsCompleted || durable.Count >= options.LaneDepth))
            {
                await durable.Dequeue().ConfigureAwait(false); // never throws: RecordAsync handles its own failures
            }
        }

        await Task.WhenAll(durable).ConfigureAwait(false);
    }

    /// <summary>One record from start to durable outcome; <paramref name="released"/> completes once the lane may go on.</summary>
    private async Task RecordAsync(WorkItem item, TaskCompletionSource released)
    {
        var finished = false;
        using var activity = SenderMetrics.ActivitySource.StartActivity($"notification.send.{options.Channel}", ActivityKind.Consumer, ParentContext(item.Record.Message.Headers));
        activity?.SetTag("messaging.destination.name", item.Record.Topic);
        activity?.SetTag("messaging.kafka.offset", item.Record.Offset.Value);
        try
        {
            await ProcessAsync(item.Record, released, aborted ? CancellationToken.None : stopWork.Token).ConfigureAwait(false);
            finished = true;
        }
        catch (OperationCanceledException)
        {
            // shutdown deadline passed mid-record: left unfinished on purpose
        }
        catch (ObjectDisposedException)
        {
            // the log or producer went away under a stopping sender: unfinished, redelivered later
        }
        catch (Exception e)
        {
            // A bug must not pin the partition's commit position forever: dead-letter the record (its bytes stay
            // replayable from the DLQ). Infrastructure failures never get here: they are retried in DurableAsync.
            SenderLog.ProcessingFailed(logger, e, options.Channel, item.Record.Topic, item.Record.Partition.Value, item.Record.Offset.Value);
            released.TrySetResult();
            try
            {
                await DeadLetterAsync(item.Record, null, 1, "processing-error", e.Message, stopWork.Token).ConfigureAwait(false);
                finished = true;
            }
            catch (Exception dlqError) when (dlqError is OperationCanceledException or KafkaException or ObjectDisposedException)
            {
                // still unfinished: redelivered after a restart
            }
        }
        finally
        {
            released.TrySetResult();
            item.Progress.Ended(item.Record.Offset.Value, finished);
            Interlocked.Decrement(ref inFlight);
        }
    }

    /// <remarks>
    /// Completes <paramref name="released"/> once the provider has answered, before the outcome is written: the lane then
    /// starts its next record while the outcome becomes durable. Records that never reach a provider (unreadable,
    /// expired, already delivered) release the lane when <see cref="RecordAsync"/> ends.
    /// </remarks>
    private async Task ProcessAsync(ConsumeResult<string?, byte[]?> r, TaskCompletionSource released, CancellationToken ct)
    {
        var attempt = RetryHeaders.AttemptOf(r.Message.Headers);
        if (r.Message.Value is null)
        {
            await DeadLetterAsync(r, null, attempt, "null-value", "A channel record must carry a ChannelNotification.", ct).ConfigureAwait(false);
            return;
        }

        ChannelNotification n;
        try
        {
            n = await deserializer!.DeserializeAsync(r.Message.Value, false, new SerializationContext(MessageComponentType.Value, r.Topic, r.Message.Headers)).ConfigureAwait(false);
        }
        catch (Exception e) when (!TransientErrors.IsTransient(e))
        {
            await DeadLetterAsync(r, null, attempt, "deserialization-failed", e.Message, ct).ConfigureAwait(false);
            return;
        }

        if (n.channel != options.Channel)
        {
            await DeadLetterAsync(r, n, attempt, "wrong-channel", $"Record for channel '{n.channel}' on the {options.Channel} sender.", ct).ConfigureAwait(false);
            return;
        }

        if (n.expiresAt is { } expiresAt && expiresAt.AsUtc() <= time.GetUtcNow())
        {
            await FinishAsync(r, n, Outcomes.Expired, 0, "expired", null, null, ct).ConfigureAwait(false);
            return;
        }

        // An unavailable log is not the record's fault: retry the check like an outcome write (the lane and the offset
        // wait) rather than let the exception dead-letter a message nobody has received, without a status or log row.
        // A delivery whose log row is still being written counts as delivered too (pipelined outcomes, see LaneAsync).
        var key = (n.eventId, n.channel, n.target);
        var alreadyDelivered = delivering.ContainsKey(key);
        if (!alreadyDelivered)
        {
            await DurableAsync(n.eventId, async () => alreadyDelivered = await log.WasDeliveredAsync(n.eventId, n.channel, n.target, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        }

        if (alreadyDelivered)
        {
            // A redelivered record (crash or rebalance before the commit): the user already has it.
            Interlocked.Increment(ref skipped);
            SenderMetrics.DuplicatesSkippedCounter.Add(1, channelTag);
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
                await FinishAsync(r, n, Outcomes.Delivered, attempt, null, null, result.MessageId, ct).ConfigureAwait(false);
            }
            finally
            {
                delivering.TryRemove(key, out _);
            }

            return;
        }

        released.TrySetResult();
        switch (result.Outcome)
        {
            case ProviderOutcome.InvalidTarget:
                await FinishAsync(r, n, Outcomes.Failed, attempt, result.Reason ?? "invalid-target", result.Error, null, ct,
                    extra: options.Channel is Channels.Apns or Channels.Fcm
                        ? () => Produce(options.ResolvedDevicesTopic, Topics.DeviceKey(n.userId, n.target), null, null)
                        : null).ConfigureAwait(false);
                break;
            case ProviderOutcome.Permanent:
                await FinishAsync(r, n, Outcomes.Failed, attempt, result.Reason ?? "rejected", result.Error, null, ct).ConfigureAwait(false);
                break;
            default:
                if (DeliveryPipeline.Tier(options, attempt) is { } delay)
                {
                    var notBefore = time.GetUtcNow().Add(delay);
                    var headers = RetryHeaders.ForNextAttempt(r.Message.Headers, attempt + 1, notBefore);
                    InjectTrace(headers);
                    await FinishAsync(r, n, Outcomes.Retrying, attempt, result.Reason, result.Error, null, ct,
                        extra: () => Produce(options.ResolvedRetryTopic, r.Message.Key, r.Message.Value, headers)).ConfigureAwait(false);
                }
                else
                {
                    await DeadLetterAsync(r, n, attempt, "retries-exhausted", $"{result.Reason}: {result.Error}", ct).ConfigureAwait(false);
                }

                break;
        }
    }

    private async Task DeadLetterAsync(ConsumeResult<string?, byte[]?> r, ChannelNotification? n, int attempt, string reason, string? error, CancellationToken ct)
    {
        var headers = DeadLetterHeaders.For(r.Message.Headers, reason, $"sender-{options.Channel}", error, new DeadLetterOrigin(r.Topic, r.Partition.Value, r.Offset.Value, attempt));
        InjectTrace(headers);
        SenderMetrics.DeadLettersCounter.Add(1, channelTag, new("reason", reason));
        // Provider errors can quote the target ("The 'To' number +49… is not valid"): mask it in the log line.
        SenderLog.DeadLettered(logger, options.Channel, r.Topic, r.Partition.Value, r.Offset.Value, reason,
            n is null || error is null ? error : error.Replace(n.target, Pii.Mask(n.target), StringComparison.Ordinal));
        Task DlqRecord() => Produce(options.ResolvedDeadLetterTopic, r.Message.Key, r.Message.Value, headers);
        if (n is null)
        {
            // Unreadable input has no event to report on: the DLQ record (with the reason) is its outcome.
            await DurableAsync("?", DlqRecord, ct).ConfigureAwait(false);
            Interlocked.Increment(ref deadLettered);
            return;
        }

        await FinishAsync(r, n, Outcomes.DeadLettered, attempt, reason, error, null, ct, extra: DlqRecord).ConfigureAwait(false);
    }

    /// <summary>Makes one outcome durable: the log row, the DeliveryStatus record and any extra record, all acknowledged.</summary>
    private async Task FinishAsync(ConsumeResult<string?, byte[]?> r, ChannelNotification n, string outcome, int attempt, string? reason, string? error, string? providerMessageId, CancellationToken ct, Func<Task>? extra = null)
    {
        var now = time.GetUtcNow();
        var providerName = attempt == 0 ? null : provider.Name; // no provider handled an expired record
        var entry = new DeliveryLogEntry(n.eventId, n.channel, n.target, outcome, attempt, n.userId, n.category, providerName,
            providerMessageId, reason, error, n.requestedAt.AsUtc(), now);
        var status = new DeliveryStatus
        {
            eventId = n.eventId,
            userId = n.userId,
            channel = n.channel,
            target = n.target,
            outcome = outcome,
            reason = reason,
            category = n.category,
            provider = providerName,
            providerMessageId = providerMessageId,
            attempt = attempt,
            error = error,
            requestedAt = n.requestedAt,
            occurredAt = now.UtcDateTime,
        };
        var headers = new Headers { { HeaderNames.EventId, Encoding.UTF8.GetBytes(n.eventId) } };
        foreach (var name in new[] { HeaderNames.TraceParent, HeaderNames.TraceState })
        {
            if (r.Message.Headers?.TryGetLastBytes(name, out var value) == true)
            {
                headers.Add(name, value);
            }
        }

        InjectTrace(headers);
        Activity.Current?.SetTag("notification.event_id", n.eventId);
        Activity.Current?.SetTag("notification.outcome", outcome);

        await DurableAsync(n.eventId, async () =>
        {
            var bytes = await statusSerializer!.SerializeAsync(status, new SerializationContext(MessageComponentType.Value, options.ResolvedStatusTopic, headers)).ConfigureAwait(false);
            await Task.WhenAll(
                log.AppendAsync(entry, ct),
                Produce(options.ResolvedStatusTopic, n.eventId, bytes, headers),
                extra?.Invoke() ?? Task.CompletedTask).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);

        _ = outcome switch
        {
            Outcomes.Delivered => Interlocked.Increment(ref delivered),
            Outcomes.Failed => Interlocked.Increment(ref failed),
            Outcomes.Expired => Interlocked.Increment(ref expired),
            Outcomes.Retrying => Interlocked.Increment(ref retried),
            _ => Interlocked.Increment(ref deadLettered),
        };
        SenderMetrics.DeliveriesCounter.Add(1, channelTag, providerTag, new("outcome", outcome));
        if (outcome == Outcomes.Retrying)
        {
            SenderMetrics.RetriesCounter.Add(1, channelTag, new("kind", "topic"));
        }
        else if (outcome == Outcomes.Delivered)
        {
            SenderMetrics.EndToEndHistogram.Record((now - n.requestedAt.AsUtc()).TotalMilliseconds, channelTag);
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            SenderLog.Outcome(logger, n.eventId, Pii.Mask(n.target), n.channel, outcome, attempt, reason);
        }
    }

    /// <summary>Retries a durable write (Kafka or log unavailable) until it succeeds: the offset must not move before it does.</summary>
    private async Task DurableAsync(string eventId, Func<Task> write, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await write().ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is KafkaException or DeliveryLogUnavailableException or SchemaRegistryException or HttpRequestException && !ct.IsCancellationRequested)
            {
                SenderLog.DurableWriteFailed(logger, eventId, e.Message);
                await Task.Delay(delay, time, ct).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(5000, delay.TotalMilliseconds * 2));
            }
        }
    }

    private Task Produce(string topic, string? key, byte[]? value, Headers? headers)
        => producer!.ProduceAsync(topic, new Message<string?, byte[]?> { Key = key, Value = value, Headers = headers });

    /// <summary>W3C trace context of the channel record (written by the topology), so one trace spans API → topology → sender.</summary>
    private static ActivityContext ParentContext(Headers? headers) => TraceContext.Extract(headers);

    /// <summary>Records this sender writes carry its span as their parent (when tracing is on).</summary>
    private static void InjectTrace(Headers headers) => TraceContext.Inject(Activity.Current, headers);

    private sealed record WorkItem(PartitionProgress Progress, ConsumeResult<string?, byte[]?> Record);

}
