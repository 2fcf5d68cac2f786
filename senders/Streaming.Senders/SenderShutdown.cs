using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Streaming.Senders;

/// <summary>
/// The end of a sender's clients: drain what was fetched (bounded by <see cref="ChannelSenderOptions.DrainTimeout"/>),
/// store and commit the low-water marks, leave the group, and destroy the handles, each blocking librdkafka call bounded
/// by <see cref="ChannelSenderOptions.CloseTimeout"/> (see <see cref="ClientTeardown"/>).
/// </summary>
internal sealed class SenderShutdown(ChannelSenderOptions options, PartitionTracker partitions, StopSignals stop, ILogger logger)
{
    private long abandoned;

    /// <summary>Teardown calls abandoned after <see cref="ChannelSenderOptions.CloseTimeout"/>.</summary>
    public long Abandoned => Interlocked.Read(ref abandoned);

    /// <summary>Shuts the consumer down; runs on the poll thread once the loop has ended.</summary>
    public void ShutdownConsumer(IConsumer<string?, byte[]?> c)
    {
        var deadline = Stopwatch.StartNew();
        if (!stop.Aborted)
        {
            // Graceful: finish everything already fetched, so the commit lands exactly after it and a restart
            // redelivers nothing; whatever is still unfinished at the deadline is abandoned uncommitted.
            DrainWait.While(() => partitions.AnyUnfinished, deadline, options.DrainTimeout);
            stop.StopStartingRecords();
        }

        partitions.CloseAll();
        // Running records finish (graceful) or log their outcome (abort), within what is left of the same deadline.
        DrainWait.While(() => partitions.AnyRunning, deadline, options.DrainTimeout);

        var graceful = !stop.Aborted;
        if (graceful)
        {
            stop.CancelWork();
            partitions.StoreOffsets(c);
        }

        // After an abort nothing is committed by hand and there is no Close(): disposing lets librdkafka commit only what
        // was stored before, as after a crash right after an auto-commit.
        ClientTeardown.EndConsumer(c, leaveGroup: graceful, Teardown);
    }

    /// <summary>Flushes the producer's outstanding records, then destroys it.</summary>
    public void CloseProducer(IProducer<string?, byte[]?> p)
    {
        p.Flush(TimeSpan.FromSeconds(10));
        Teardown(p.Dispose, "destroying the producer");
    }

    private bool Teardown(Action call, string step)
    {
        if (ClientTeardown.Run(call, options.CloseTimeout, $"sender-{options.Channel}-teardown"))
        {
            return true;
        }

        Interlocked.Increment(ref abandoned);
        SenderLog.TeardownAbandoned(logger, options.Channel, step, options.CloseTimeout);
        return false;
    }
}
