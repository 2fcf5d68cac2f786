using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Contracts;
using Streamiz.Kafka.Net;
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
    private readonly KafkaStream stream;
    private readonly Confluent.SchemaRegistry.ISchemaRegistryClient registry;
    private readonly ILogger logger;
    private readonly string applicationId;
    private readonly TaskCompletionSource running = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NotificationTopologyRunner(ProcessorOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        applicationId = options.ApplicationId;
        logger = loggerFactory.CreateLogger<NotificationTopologyRunner>();
        registry = options.SchemaRegistry.CreateClient();
        var builder = new StreamBuilder();
        NotificationTopology.Build(builder, TopologySettings.From(options, registry, time, loggerFactory));
        stream = new KafkaStream(builder.Build(), CreateStreamConfig(options, loggerFactory));
        stream.StateChanged += (oldState, newState) =>
        {
            ProcessorLog.StateChanged(logger, applicationId, oldState.ToString(), newState.ToString());
            if (newState == KafkaStream.State.RUNNING)
            {
                running.TrySetResult();
            }
            else if (newState == KafkaStream.State.ERROR)
            {
                failed.TrySetResult();
                running.TrySetException(new InvalidOperationException($"Topology {applicationId} went into state ERROR."));
            }
        };
    }

    /// <summary>Completes once every stream thread runs (tasks assigned, stores restored).</summary>
    public Task Running => running.Task;

    /// <summary>Completes when the topology stops on an error (a stream thread died); the host then stops.</summary>
    public Task Failed => failed.Task;

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
            await runner.stream.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await runner.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return runner;
    }

    /// <summary>Waits until the topology runs, or throws after <paramref name="timeout"/> or when it fails.</summary>
    public Task WaitUntilRunningAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        => Running.WaitAsync(timeout, cancellationToken);

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

        if (options.PollMs is { } pollMs)
        {
            config.PollMs = pollMs;
        }

        return config;
    }

    public async ValueTask DisposeAsync()
    {
        // KafkaStream.Dispose blocks until the threads have committed, flushed their stores and stopped.
        await Task.Run(stream.Dispose).ConfigureAwait(false);
        registry.Dispose();
        ProcessorLog.Stopped(logger, applicationId);
    }
}
