using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace Streaming.Processors;

/// <summary>
/// Runs the notification topology in the calling process until disposed: what <see cref="TopologyService"/> hosts, and
/// what the local stack starts in-process. Create the topics of <see cref="NotificationTopology.InternalTopics"/> first on
/// a cluster that cannot CreateTopics.
/// </summary>
/// <remarks>
/// The runner owns the instance in use and turns its states into <see cref="Running"/> and <see cref="Failed"/>; a
/// <see cref="TopologySupervisor"/> replaces that instance when it stalls, dies after it ran, or fails to start.
/// </remarks>
public sealed class NotificationTopologyRunner : IAsyncDisposable
{
    private readonly ILogger logger;
    private readonly string applicationId;
    private readonly ISchemaRegistryClient registry;
    private readonly TopologyInstances instances;
    private readonly TopologySupervisor supervisor;
    private readonly TaskCompletionSource running = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock gate = new();
    private KafkaStream stream;
    private bool polling;

    private NotificationTopologyRunner(ProcessorOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        applicationId = options.ApplicationId;
        logger = loggerFactory.CreateLogger<NotificationTopologyRunner>();
        registry = options.SchemaRegistry.CreateClient();
        instances = new TopologyInstances(registry, time, loggerFactory, logger, applicationId);
        supervisor = new TopologySupervisor(this, instances, options, logger);
        stream = Create(options);
    }

    /// <summary>Completes once every stream thread runs (tasks assigned, stores restored).</summary>
    public Task Running => running.Task;

    /// <summary>
    /// Completes when the topology stops on an error: a stream thread died before the topology ever ran, or more than
    /// 3 times in 10 minutes after it ran (each earlier time it is replaced). The host then stops.
    /// </summary>
    public Task Failed => failed.Task;

    /// <summary>How many times the topology was replaced: by the stall watchdog (see <see cref="ProcessorOptions.StallRestartAfter"/>) or after going into ERROR.</summary>
    public int Restarts => supervisor.Restarts;

    /// <summary>The instance in use (the supervisor replaces it).</summary>
    internal KafkaStream Current
    {
        get
        {
            lock (gate)
            {
                return stream;
            }
        }
    }

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
            await runner.supervisor.StartCurrentAsync().ConfigureAwait(false);
        }
        catch
        {
            await runner.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        runner.supervisor.StartWatchdog();
        return runner;
    }

    /// <summary>The Streamiz configuration made from the options: every guarantee, interval and handler explicit.</summary>
    public static StreamConfig<StringSerDes, StringSerDes> CreateStreamConfig(ProcessorOptions options, ILoggerFactory? loggerFactory = null)
        => TopologyStreamConfig.Create(options, loggerFactory);

    /// <summary>Waits until the topology runs, or throws after <paramref name="timeout"/> or when it fails.</summary>
    public Task WaitUntilRunningAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        => Running.WaitAsync(timeout, cancellationToken);

    /// <summary>Total poll calls of the current instance's stream threads: the stall watchdog's signal (for tests).</summary>
    internal double? PollCount() => TopologySupervisor.PollCount(Current);

    /// <summary>Admin clients handed to Streamiz and not disposed, over the instances of this runner still alive (for tests).</summary>
    internal int OpenAdminClients() => instances.OpenAdminClients();

    /// <summary>The instance in use, and whether its threads poll (it reports RUNNING or REBALANCING).</summary>
    internal (KafkaStream Instance, bool Polling) Observe()
    {
        lock (gate)
        {
            return (stream, polling);
        }
    }

    /// <summary>Makes a new instance, built from <paramref name="options"/>, the one in use.</summary>
    internal void Adopt(ProcessorOptions options)
    {
        var replacement = Create(options);
        lock (gate)
        {
            stream = replacement;
            polling = false;
        }
    }

    /// <summary>Reports the topology as failed, so the host stops (and its supervisor restarts it).</summary>
    internal void Fail() => failed.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        await supervisor.StopAsync().ConfigureAwait(false);
        await instances.StopAsync(Current).ConfigureAwait(false);
        registry.Dispose();
        supervisor.Dispose();
        ProcessorLog.Stopped(logger, applicationId);
    }

    private KafkaStream Create(ProcessorOptions options)
    {
        var created = instances.Create(options);
        created.StateChanged += (oldState, newState) => OnStateChanged(created, oldState, newState);
        return created;
    }

    private void OnStateChanged(KafkaStream instance, KafkaStream.State oldState, KafkaStream.State newState)
    {
        lock (gate)
        {
            if (!ReferenceEquals(instance, stream))
            {
                return; // a replaced instance winding down
            }

            polling = newState == KafkaStream.State.RUNNING || newState == KafkaStream.State.REBALANCING; // threads poll in both
        }

        ProcessorLog.StateChanged(logger, applicationId, oldState.ToString(), newState.ToString());
        if (newState == KafkaStream.State.RUNNING)
        {
            running.TrySetResult();
        }
        else if (newState == KafkaStream.State.ERROR && !(running.Task.IsCompletedSuccessfully && supervisor.TryReplaceAfterError(instance)))
        {
            failed.TrySetResult();
            running.TrySetException(new InvalidOperationException($"Topology {applicationId} went into state ERROR."));
        }
    }
}
