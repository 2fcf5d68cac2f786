using Confluent.Kafka;

namespace Streaming.Senders;

/// <summary>
/// Runs one blocking librdkafka teardown call (<c>Close()</c>, <c>Dispose()</c>) with a deadline.
/// </summary>
/// <remarks>
/// librdkafka's consumer close and handle destroy wait for the group leave and every internal thread, with no timeout of
/// their own, and a stop that never returns holds its process until it is killed. Past the deadline the call is abandoned
/// on its background thread (it cannot be cancelled) and the handle is left to the process: the group coordinator times
/// the member out after <c>session.timeout.ms</c>, as after a crash, and nothing is lost because offsets only cover
/// outcomes that are already durable.
/// </remarks>
public static class ClientTeardown
{
    /// <summary>
    /// Runs <paramref name="call"/> and waits up to <paramref name="timeout"/>. Returns <c>true</c> when it finished
    /// (rethrowing what it threw), <c>false</c> when it was abandoned still running.
    /// </summary>
    public static bool Run(Action call, TimeSpan timeout, string name)
    {
        ArgumentNullException.ThrowIfNull(call);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                call();
            }
            catch (Exception e)
            {
                failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true, // an abandoned call must not keep the process alive at exit
            Name = name,
        };
        thread.Start();
        if (!thread.Join(timeout))
        {
            return false;
        }

        failure?.Throw();
        return true;
    }

    /// <summary>
    /// Ends a group member's consumer: with <paramref name="leaveGroup"/>, commits what is stored and leaves the group
    /// (<c>Close()</c>), then destroys the handle. Each step goes through <paramref name="run"/>, the caller's bounded
    /// <see cref="Run"/> that reports an abandoned step and returns false; after an abandoned close the handle is left
    /// alone, because destroying it under a close still running on its own thread would crash the process.
    /// </summary>
    public static void EndConsumer<TKey, TValue>(IConsumer<TKey, TValue> consumer, bool leaveGroup, Func<Action, string, bool> run)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(run);
        if (leaveGroup && !run(() => CommitAndClose(consumer), "committing and leaving the group (consumer close)"))
        {
            return;
        }

        run(consumer.Dispose, "destroying the consumer");
    }

    private static void CommitAndClose<TKey, TValue>(IConsumer<TKey, TValue> consumer)
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException)
        {
            // _NO_OFFSET (nothing stored) or a rebalance in progress: auto-commit or the next owner takes over.
        }

        try
        {
            consumer.Close(); // revokes through the rebalance callback on this thread, commits what is stored, leaves the group
        }
        catch (KafkaException)
        {
            // leaving the group failed; the coordinator times the member out
        }
    }
}
