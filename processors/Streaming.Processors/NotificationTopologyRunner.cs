using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Contracts;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Errors;
using Streamiz.Kafka.Net.Kafka;
using Streamiz.Kafka.Net.Kafka.Internal;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;

namespace Streaming.Processors;

/// <summary>
/// Runs the notification topology in the calling process until disposed: what <see cref="TopologyService"/> hosts, and
/// what the local stack starts in-process. Create the topics of <see cref="NotificationTopology.InternalTopics"/> first on
/// a cluster that cannot CreateTopics.
/// </summary>
public sealed class NotificationTopologyRunner : IAsyncDisposable
{
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(30);

    private readonly ProcessorOptions options;
    private readonly ILoggerFactory loggerFactory;
    private readonly TimeProvider time;
    private readonly Confluent.SchemaRegistry.ISchemaRegistryClient registry;
    private readonly ILogger logger;
    private readonly string applicationId;
    private readonly TaskCompletionSource running = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private KafkaStream stream;
    private bool streamRunning;
    private int restarts;
    private int stateGeneration;
    private Task watchdog = Task.CompletedTask;
    private Task errorReplacement = Task.CompletedTask;
    private readonly Queue<DateTimeOffset> errorReplacements = new();
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<KafkaStream, AdminClientTracker> clients = new();

    /// <summary>A topology that goes into ERROR after it ran is replaced at most this often per window; then it fails.</summary>
    private const int MaxErrorReplacements = 3;
    private static readonly TimeSpan ErrorReplacementWindow = TimeSpan.FromMinutes(10);

    private NotificationTopologyRunner(ProcessorOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        this.options = options;
        this.loggerFactory = loggerFactory;
        this.time = time;
        applicationId = options.ApplicationId;
        logger = loggerFactory.CreateLogger<NotificationTopologyRunner>();
        registry = options.SchemaRegistry.CreateClient();
        stream = CreateStream(options);
    }

    /// <summary>Completes once every stream thread runs (tasks assigned, stores restored).</summary>
    public Task Running => running.Task;

    /// <summary>
    /// Completes when the topology stops on an error: a stream thread died before the topology ever ran, or more than
    /// 3 times in 10 minutes after it ran (each earlier time it is replaced). The host then stops.
    /// </summary>
    public Task Failed => failed.Task;

    /// <summary>How many times the topology was replaced: by the stall watchdog (see <see cref="ProcessorOptions.StallRestartAfter"/>) or after going into ERROR.</summary>
    public int Restarts => Volatile.Read(ref restarts);

    /// <summary>Builds and starts the topology; returns once the stream threads are started (see <see cref="Running"/>).</summary>
    public static async Task<NotificationTopologyRunner> StartAsync(ProcessorOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var runner = new NotificationTopologyRunner(options, loggerFactory, time ?? TimeProvider.System);
        ProcessorLog.Starting(runner.logger, options.ApplicationId, options.BootstrapServers, options.NumStreamThreads, options.Guarantee.ToString());
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            // No token for Streamiz: it would dispose the stream on cancellation behind the runner's back; the runner owns shutdown.
            await runner.StartCurrentAsync().ConfigureAwait(false);
        }
        catch
        {
            await runner.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (options.StallRestartAfter > TimeSpan.Zero)
        {
            runner.watchdog = Task.Run(runner.WatchAsync, CancellationToken.None);
        }

        return runner;
    }

    /// <summary>Waits until the topology runs, or throws after <paramref name="timeout"/> or when it fails.</summary>
    public Task WaitUntilRunningAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        => Running.WaitAsync(timeout, cancellationToken);

    /// <summary>
    /// Total poll calls of the current instance's stream threads (Streamiz's thread-level "poll-total"), or null when
    /// Streamiz reports no such metric (then the watchdog cannot judge and never restarts).
    /// </summary>
    internal double? PollCount() => PollCount(Current);

    /// <summary>The instance in use (the watchdog and a start retry replace it).</summary>
    private KafkaStream Current
    {
        get
        {
            lock (gate)
            {
                return stream;
            }
        }
    }

    private static double? PollCount(KafkaStream stream)
    {
        double? total = null;
        foreach (var sensor in stream.Metrics())
        {
            foreach (var metric in sensor.Metrics.Values)
            {
                if (metric.Name == "poll-total" && metric.Value is { } value)
                {
                    total = (total ?? 0) + Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        return total;
    }

    private KafkaStream CreateStream(ProcessorOptions streamOptions)
    {
        var builder = new StreamBuilder();
        NotificationTopology.Build(builder, TopologySettings.From(streamOptions, registry, time, loggerFactory));
        var config = CreateStreamConfig(streamOptions, loggerFactory);
        var supplier = new AdminClientTracker(new DefaultKafkaClientSupplier(new KafkaLoggerAdapter(config), config));
        var created = new KafkaStream(builder.Build(), config, supplier);
        clients.Add(created, supplier);

        created.StateChanged += (oldState, newState) =>
        {
            lock (gate)
            {
                if (!ReferenceEquals(created, stream))
                {
                    return; // a replaced instance winding down
                }

                streamRunning = newState == KafkaStream.State.RUNNING || newState == KafkaStream.State.REBALANCING; // threads poll in both
            }

            ProcessorLog.StateChanged(logger, applicationId, oldState.ToString(), newState.ToString());
            if (newState == KafkaStream.State.RUNNING)
            {
                running.TrySetResult();
            }
            else if (newState == KafkaStream.State.ERROR)
            {
                if (running.Task.IsCompletedSuccessfully && !stopping.IsCancellationRequested && TakeErrorReplacement())
                {
                    // A stream thread died after the topology had run (seen once in ~25 broker-outage runs): replace the
                    // instance, as Kafka Streams' REPLACE_THREAD would, instead of stopping the host.
                    lock (gate)
                    {
                        errorReplacement = Task.Run(() => RestartAsync(created, stateDir => ProcessorLog.ErrorReplaced(logger, applicationId, MaxErrorReplacements, ErrorReplacementWindow.TotalMinutes, stateDir)));
                    }
                }
                else
                {
                    failed.TrySetResult();
                    running.TrySetException(new InvalidOperationException($"Topology {applicationId} went into state ERROR."));
                }
            }
        };
        return created;
    }

    /// <summary>
    /// The stall watchdog: while the topology reports RUNNING (or REBALANCING) its stream threads poll every loop (even
    /// while restoring or owning no partition); when the poll count stands still for <see cref="ProcessorOptions.StallRestartAfter"/>, the
    /// instance is replaced.
    /// </summary>
    private async Task WatchAsync()
    {
        var limit = options.StallRestartAfter;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(limit.TotalMilliseconds / 6, 100, 5000));
        var detector = new StallDetector(limit);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(period, stopping.Token).ConfigureAwait(false); // wall clock, not the topology's (possibly fake) business clock
                KafkaStream current;
                bool isRunning;
                lock (gate)
                {
                    current = stream;
                    isRunning = streamRunning;
                }

                if (detector.Observe(isRunning ? PollCount(current) : null, DateTimeOffset.UtcNow) is { } stalledFor)
                {
                    await RestartAsync(current, stalledFor).ConfigureAwait(false);
                    detector = new StallDetector(limit);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // disposing
        }
    }

    /// <summary>True while fewer than <see cref="MaxErrorReplacements"/> error replacements happened in the window.</summary>
    private bool TakeErrorReplacement()
    {
        var now = DateTimeOffset.UtcNow;
        lock (gate)
        {
            while (errorReplacements.TryPeek(out var at) && now - at > ErrorReplacementWindow)
            {
                errorReplacements.Dequeue();
            }

            if (errorReplacements.Count >= MaxErrorReplacements)
            {
                return false;
            }

            errorReplacements.Enqueue(now);
            return true;
        }
    }

    private Task RestartAsync(KafkaStream stalled, TimeSpan stalledFor)
        => RestartAsync(stalled, stateDir => ProcessorLog.Stalled(logger, applicationId, stalledFor.TotalSeconds, stateDir));

    /// <summary>Replaces <paramref name="replaced"/> (stalled, or gone into ERROR) with a new instance on a fresh state folder.</summary>
    private async Task RestartAsync(KafkaStream replaced, Action<string> logReplacement)
    {
        Interlocked.Increment(ref restarts);
        ProcessorMetrics.Restart();
        Replace(out var stateDir);
        logReplacement(stateDir);
        await StopWithinAsync(replaced).ConfigureAwait(false);
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await StartCurrentAsync().ConfigureAwait(false);
        }
        catch (StreamsException e)
        {
            // Out of start attempts: report the topology as failed, so the host stops (and its supervisor restarts it).
            ProcessorLog.ProcessingFailed(logger, e, "Fail");
            failed.TrySetResult();
        }
    }

    /// <summary>
    /// A new instance in a fresh state folder, made current. Fresh, because the one it replaces may still hold RocksDB
    /// locks on the old folder (Streamiz drops revoked tasks without closing their stores); the stores restore from
    /// their changelogs.
    /// </summary>
    private void Replace(out string stateDir)
    {
        var generation = Interlocked.Increment(ref stateGeneration);
        var replacementOptions = options.WithStateDir(Path.Combine(options.EffectiveStateDir, $"restart-{generation}"));
        stateDir = replacementOptions.EffectiveStateDir;
        var replacement = CreateStream(replacementOptions);
        lock (gate)
        {
            stream = replacement;
            streamRunning = false;
        }
    }

    /// <summary>
    /// Starts the current instance. A start that fails in Kafka (seen: the global-table consumer's Seek right after its
    /// Assign answering "Local: Erroneous state" on a loaded machine) is retried twice with a new instance.
    /// </summary>
    private async Task StartCurrentAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = Current;
            try
            {
                await current.StartAsync().ConfigureAwait(false);
                return;
            }
            catch (StreamsException e) when (attempt < 3 && e.InnerException is KafkaException && !stopping.IsCancellationRequested)
            {
                ProcessorLog.StartRetried(logger, applicationId, attempt, e.InnerException.Message);
                await StopWithinAsync(current).ConfigureAwait(false);
                Replace(out _);
            }
        }
    }

    // KafkaStream.Dispose blocks until the threads have committed, flushed their stores and stopped; a stalled one may not.
    private async Task StopWithinAsync(KafkaStream instance)
    {
        var disposing = Task.Run(instance.Dispose);
        if (await Task.WhenAny(disposing, Task.Delay(StopDeadline)).ConfigureAwait(false) != disposing)
        {
            ProcessorLog.StalledInstanceAbandoned(logger, applicationId, StopDeadline.TotalSeconds);
            return;
        }

        await disposing.ConfigureAwait(false);
        DisposeLeftoverClients(instance);
    }

    /// <summary>Admin clients of a disposed instance that Streamiz left open (see <see cref="AdminClientTracker"/>).</summary>
    private void DisposeLeftoverClients(KafkaStream instance)
    {
        if (clients.TryGetValue(instance, out var tracker))
        {
            tracker.DisposeLeftovers();
        }
    }

    /// <summary>Admin clients handed to Streamiz and not disposed, over the instances of this runner still alive (for tests).</summary>
    internal int OpenAdminClients() => clients.Sum(c => c.Value.Open);

    /// <summary>The Streamiz configuration made from the options: every guarantee, interval and handler explicit.</summary>
    public static StreamConfig<StringSerDes, StringSerDes> CreateStreamConfig(ProcessorOptions options, ILoggerFactory? loggerFactory = null)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var log = loggerFactory.CreateLogger<NotificationTopologyRunner>();
        var config = new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = options.ApplicationId,
            BootstrapServers = options.BootstrapServers,
            Guarantee = options.Guarantee == ProcessingGuaranteeOption.ExactlyOnce ? ProcessingGuarantee.EXACTLY_ONCE : ProcessingGuarantee.AT_LEAST_ONCE,
            NumStreamThreads = options.NumStreamThreads,
            CommitIntervalMs = options.CommitIntervalMs,
            StateDir = options.EffectiveStateDir,
            AutoOffsetReset = options.AutoOffsetReset,
            SessionTimeoutMs = options.SessionTimeoutMs,
            Logger = new StreamizLoggerFactory(loggerFactory), // record keys (user IDs, device tokens) stay out of Debug logs

            // The sinks place records by key (no stream partitioner). librdkafka's default, as the publisher and the senders
            // use it (Streamiz would pick murmur2_random): channel messages stay on their request's partition, and the
            // topology's statuses share a partition with the senders' statuses of the same event.
            Partitioner = Partitioner.ConsistentRandom,

            // Only the contact tables can get here: requests are read as bytes and dead-lettered inside the topology.
            DeserializationExceptionHandler = (_, record, exception) =>
            {
                ProcessorMetrics.TableError(record.Topic);
                ProcessorLog.TableRecordSkipped(log, exception, record.Topic, record.Partition.Value, record.Offset.Value, options.OnTableDeserializationError.ToString());
                return options.OnTableDeserializationError == ErrorAction.Continue ? ExceptionHandlerResponse.CONTINUE : ExceptionHandlerResponse.FAIL;
            },
            ProductionExceptionHandler = report =>
            {
                ProcessorLog.ProductionFailed(log, report.Topic, report.Error.Reason, options.OnProductionError.ToString());
                return options.OnProductionError == ErrorAction.Continue ? ProductionExceptionHandlerResponse.CONTINUE : ProductionExceptionHandlerResponse.FAIL;
            },
            InnerExceptionHandler = exception =>
            {
                ProcessorLog.ProcessingFailed(log, exception, options.OnProcessingError.ToString());
                return options.OnProcessingError == ErrorAction.Continue ? ExceptionHandlerResponse.CONTINUE : ExceptionHandlerResponse.FAIL;
            },
        };
        if (options.FetchWaitMaxMs is { } fetchWait)
        {
            config.FetchWaitMaxMs = fetchWait; // main, restore and global consumers alike
        }

        if (options.RocksDbWriteBufferMb > 0)
        {
            var bytes = (ulong)options.RocksDbWriteBufferMb * 1024 * 1024;
            config.RocksDbConfigHandler = (_, rocks) => rocks.SetWriteBufferSize(bytes).SetMaxWriteBufferNumber(2);
        }

        if (options.LingerMs is { } linger)
        {
            config.LingerMs = linger;
        }

        if (options.PollMs is { } pollMs)
        {
            config.PollMs = pollMs;
        }

        return config;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await watchdog.ConfigureAwait(false);
        Task replacing;
        lock (gate)
        {
            replacing = errorReplacement;
        }

        await replacing.ConfigureAwait(false);

        // KafkaStream.Dispose blocks until the threads have committed, flushed their stores and stopped.
        var current = Current;
        await Task.Run(current.Dispose).ConfigureAwait(false);
        DisposeLeftoverClients(current);
        registry.Dispose();
        stopping.Dispose();
        ProcessorLog.Stopped(logger, applicationId);
    }
}

/// <summary>
/// Decides when a topology is stalled: it reports RUNNING or REBALANCING (a non-null progress count) and the count has not
/// moved for the limit. Any other state (created, shutting down, error) gives a null count and resets the clock.
/// </summary>
internal sealed class StallDetector(TimeSpan limit)
{
    private double? last;
    private DateTimeOffset since;

    /// <summary>Returns how long the count has stood still once that reaches the limit, else null.</summary>
    public TimeSpan? Observe(double? progress, DateTimeOffset now)
    {
        if (progress is null || progress != last)
        {
            last = progress;
            since = now;
            return null;
        }

        var still = now - since;
        return still >= limit ? still : null;
    }
}
