using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Errors;
using Streamiz.Kafka.Net.SerDes;

namespace Streaming.Processors;

/// <summary>The Streamiz configuration of the topology, made from <see cref="ProcessorOptions"/>: every guarantee, interval and handler explicit.</summary>
internal static class TopologyStreamConfig
{
    public static StreamConfig<StringSerDes, StringSerDes> Create(ProcessorOptions options, ILoggerFactory? loggerFactory = null)
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
}
