using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.DeliveryLog;
using Streaming.Senders.Providers;

namespace Streaming.Senders;

/// <summary>
/// The sender of one channel: one consumer (group "senders-&lt;channel&gt;") on the channel topic and its retry topic,
/// records dispatched to lanes by user key (one user's records stay in order, different users run in parallel), every
/// outcome made durable (delivery log row + DeliveryStatus, plus retry/DLQ/tombstone records) before its offset is
/// stored, and only the per-partition low-water mark of finished work is ever stored or committed.
/// </summary>
/// <remarks>
/// Start in-process with <c>new ChannelSender(options, providers, log, loggerFactory)</c> + <see cref="StartAsync"/>, or
/// through <c>services.AddChannelSenders(configuration)</c> (hosted services). The work is done by its rooms:
/// <see cref="SenderClients"/> (client setup), <see cref="PollLoop"/>, <see cref="PartitionTracker"/> (rebalances and
/// offsets), <see cref="FlowControl"/> (pausing), <see cref="KeyedLanes"/>, <see cref="RecordHandler"/>,
/// <see cref="OutcomeWriter"/>, <see cref="DeadLetterWriter"/> and <see cref="SenderShutdown"/>.
/// </remarks>
public sealed class ChannelSender : IHostedService, IAsyncDisposable
{
    private readonly ChannelSenderOptions options;
    private readonly IDeliveryLog log;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly INotificationProvider provider;
    private readonly DeliveryPipeline pipeline;
    private readonly StopSignals stop = new();
    private readonly SenderCounters counters;
    private readonly FlowControl flow;
    private readonly PartitionTracker partitions;
    private readonly KeyedLanes lanes;
    private readonly SenderShutdown shutdown;
    private SenderClients? clients;
    private Task? loop;
    private int stopped;

    public ChannelSender(ChannelSenderOptions options, ProvidersOptions providers, IDeliveryLog log, ILoggerFactory? loggerFactory = null, TimeProvider? time = null, INotificationProvider? provider = null)
    {
        OptionProblems.ThrowIfAny(options.Validate(), nameof(options));

        this.options = options;
        this.log = log;
        this.time = time ?? TimeProvider.System;
        logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger($"Streaming.Senders.ChannelSender.{options.Channel}");
        this.provider = provider ?? ProviderFactory.Create(options.Channel, providers, this.time);
        pipeline = new DeliveryPipeline(this.provider, options, logger, this.time);
        counters = new SenderCounters(options.Channel, this.provider.Name, pipeline);
        flow = new FlowControl(options, this.time);
        partitions = new PartitionTracker(options, flow, stop, logger);
        lanes = new KeyedLanes(options, flow, stop);
        shutdown = new SenderShutdown(options, partitions, stop, logger);
    }

    public string Channel => options.Channel;

    public ChannelSenderOptions Options => options;

    public DeliveryPipeline Pipeline => pipeline;

    /// <summary>Completes when the consumer got its first partition assignment (a new group takes a few seconds).</summary>
    public Task Assigned => partitions.Assigned;

    /// <summary>Teardown calls at stop (consumer close, handle destroy) abandoned after <see cref="ChannelSenderOptions.CloseTimeout"/>.</summary>
    public long AbandonedTeardowns => shutdown.Abandoned;

    public SenderStats Stats => counters.Snapshot();

    /// <summary>Connects and starts consuming on a dedicated thread; returns without waiting for the group join (see <see cref="Assigned"/>).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (loop is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        clients = SenderClients.Create(options, logger, partitions);
        var outcomes = new OutcomeWriter(options, clients, log, provider.Name, counters, time, logger);
        var deadLetters = new DeadLetterWriter(options, clients, outcomes, counters, logger);
        var records = new RecordHandler(options, clients, log, pipeline, outcomes, deadLetters, counters, stop, time, logger);
        lanes.Start(records.HandleAsync);
        loop = new PollLoop(options, clients.Consumer, partitions, flow, lanes, shutdown, stop, logger).Start();
        SenderLog.Started(logger, options.Channel, options.ResolvedGroupId, options.ResolvedTopic, string.Join(", ", options.ResolvedRetryTopics), provider.Name);
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
        stop.Dispose();
    }

    private async Task StopCoreAsync(bool abort)
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1 || loop is null)
        {
            await (loop ?? Task.CompletedTask).ConfigureAwait(false);
            return;
        }

        if (abort)
        {
            SenderLog.Aborted(logger, options.Channel);
        }

        await stop.StopLoopAsync(abort).ConfigureAwait(false);
        await loop.ConfigureAwait(false); // the loop shuts the consumer down on its own thread before it ends
        await lanes.CompleteAsync().ConfigureAwait(false);
        shutdown.CloseProducer(clients!.Producer);
        clients.Registry.Dispose();
        SenderLog.Stopped(logger, options.Channel, !abort);
    }
}
