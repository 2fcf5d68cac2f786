using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Streaming.Senders;

/// <summary>
/// The consumer's own thread: polls the channel topic and its retry tier topics, keeps stored offsets and pauses current,
/// and hands each record to its lane; once stopped, it shuts the consumer down on the same thread.
/// </summary>
internal sealed class PollLoop(
    ChannelSenderOptions options, IConsumer<string?, byte[]?> consumer, PartitionTracker partitions, FlowControl flow,
    KeyedLanes lanes, SenderShutdown shutdown, StopSignals stop, ILogger logger)
{
    /// <summary>How often offsets are stored and pauses revisited while nothing presses for it.</summary>
    private const int MaintenanceMs = 20;

    /// <summary>Starts the loop on a dedicated thread: librdkafka calls block, and the rebalance callbacks run inside them.</summary>
    public Task Start() => Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run()
    {
        var maintenance = Stopwatch.StartNew();
        try
        {
            consumer.Subscribe([options.ResolvedTopic, .. options.ResolvedRetryTopics]);
            while (!stop.LoopToken.IsCancellationRequested)
            {
                if (maintenance.ElapsedMilliseconds >= MaintenanceMs || flow.Pressing)
                {
                    partitions.StoreOffsets(consumer);
                    flow.Apply(consumer, partitions.Owned);
                    maintenance.Restart();
                }

                ConsumeResult<string?, byte[]?>? r;
                try
                {
                    r = consumer.Consume(TimeSpan.FromMilliseconds(50));
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

                if (r?.Message is null || !partitions.TryGet(r.TopicPartition, out var progress) || flow.HoldUntilDue(consumer, r))
                {
                    continue;
                }

                progress.Dispatched(r.Offset.Value);
                flow.Fetched();
                lanes.Dispatch(new WorkItem(progress, r));
            }
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException)
        {
            SenderLog.ConsumeError(logger, options.Channel, (e as KafkaException)?.Error.Code ?? ErrorCode.Unknown, e.Message);
        }
        finally
        {
            shutdown.ShutdownConsumer(consumer);
        }
    }
}
