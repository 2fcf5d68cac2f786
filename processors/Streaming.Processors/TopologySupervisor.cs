using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Errors;

namespace Streaming.Processors;

/// <summary>
/// Keeps the runner's topology going by replacing its instance: when the stall watchdog sees the stream threads stop
/// polling, when an instance goes into ERROR after the topology ran (within an <see cref="ErrorReplacementBudget"/>),
/// and when a start fails in Kafka. A replacement runs on a fresh state folder; the replaced instance gets a deadline
/// to stop.
/// </summary>
internal sealed class TopologySupervisor(NotificationTopologyRunner runner, TopologyInstances instances, ProcessorOptions options, ILogger logger) : IDisposable
{
    private const int StartAttempts = 3;

    private readonly ErrorReplacementBudget errorBudget = new(3, TimeSpan.FromMinutes(10));
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private int restarts;
    private int stateGeneration;
    private Task watchdog = Task.CompletedTask;
    private Task errorReplacement = Task.CompletedTask;

    /// <summary>How many times the instance was replaced (by the watchdog or after ERROR).</summary>
    public int Restarts => Volatile.Read(ref restarts);

    /// <summary>
    /// Starts the runner's current instance. A start that fails in Kafka (e.g. the global-table consumer's Seek right
    /// after its Assign answering "Local: Erroneous state") is retried with a new instance, up to three attempts.
    /// </summary>
    public async Task StartCurrentAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = runner.Current;
            try
            {
                await current.StartAsync().ConfigureAwait(false);
                return;
            }
            catch (StreamsException e) when (attempt < StartAttempts && e.InnerException is KafkaException && !stopping.IsCancellationRequested)
            {
                ProcessorLog.StartRetried(logger, options.ApplicationId, attempt, e.InnerException.Message);
                await instances.StopWithinDeadlineAsync(current).ConfigureAwait(false);
                ReplaceWithFreshState();
            }
        }
    }

    /// <summary>Starts the stall watchdog, unless <see cref="ProcessorOptions.StallRestartAfter"/> is zero.</summary>
    public void StartWatchdog()
    {
        if (options.StallRestartAfter > TimeSpan.Zero)
        {
            watchdog = Task.Run(WatchAsync, CancellationToken.None);
        }
    }

    /// <summary>
    /// For an instance that went into ERROR after the topology ran: true when a replacement is under way, false when the
    /// topology must fail instead (it is stopping, or the budget of the window is spent).
    /// </summary>
    public bool TryReplaceAfterError(KafkaStream failed)
    {
        if (stopping.IsCancellationRequested || !errorBudget.TryTake(DateTimeOffset.UtcNow))
        {
            return false;
        }

        // A stream thread died: replace the instance, as Kafka Streams' REPLACE_THREAD would, instead of stopping the host.
        lock (gate)
        {
            errorReplacement = Task.Run(() => RestartAsync(failed, stateDir => ProcessorLog.ErrorReplaced(logger, options.ApplicationId, errorBudget.Max, errorBudget.Window.TotalMinutes, stateDir)));
        }

        return true;
    }

    /// <summary>Stops watching and waits for a replacement under way.</summary>
    public async Task StopAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await watchdog.ConfigureAwait(false);
        Task replacing;
        lock (gate)
        {
            replacing = errorReplacement;
        }

        await replacing.ConfigureAwait(false);
    }

    public void Dispose() => stopping.Dispose();

    /// <summary>
    /// Total poll calls of an instance's stream threads (Streamiz's thread-level "poll-total"), or null when Streamiz
    /// reports no such metric (then the watchdog cannot judge and never restarts).
    /// </summary>
    public static double? PollCount(KafkaStream stream)
    {
        double? total = null;
        foreach (var sensor in stream.Metrics())
        {
            foreach (var metric in sensor.Metrics.Values)
            {
                if (metric.Name == "poll-total" && metric.Value is { } value)
                {
                    total = (total ?? 0) + Convert.ToDouble(value, CultureInfo.InvariantCulture);
                }
            }
        }

        return total;
    }

    /// <summary>
    /// The stall watchdog: while the topology reports RUNNING (or REBALANCING) its stream threads poll every loop (even
    /// while restoring or owning no partition); when the poll count stands still for <see cref="ProcessorOptions.StallRestartAfter"/>,
    /// the instance is replaced.
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
                var (current, polling) = runner.Observe();
                if (detector.Observe(polling ? PollCount(current) : null, DateTimeOffset.UtcNow) is { } stalledFor)
                {
                    await RestartAsync(current, stateDir => ProcessorLog.Stalled(logger, options.ApplicationId, stalledFor.TotalSeconds, stateDir)).ConfigureAwait(false);
                    detector = new StallDetector(limit);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // disposing
        }
    }

    /// <summary>Replaces <paramref name="replaced"/> (stalled, or gone into ERROR) with a new instance on a fresh state folder.</summary>
    private async Task RestartAsync(KafkaStream replaced, Action<string> logReplacement)
    {
        Interlocked.Increment(ref restarts);
        ProcessorMetrics.Restart();
        logReplacement(ReplaceWithFreshState());
        await instances.StopWithinDeadlineAsync(replaced).ConfigureAwait(false);
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
            runner.Fail();
        }
    }

    /// <summary>
    /// Makes a new instance in a fresh state folder the runner's current one; returns the folder. Fresh, because the one
    /// it replaces may still hold RocksDB locks on the old folder (Streamiz drops revoked tasks without closing their
    /// stores); the stores restore from their changelogs.
    /// </summary>
    private string ReplaceWithFreshState()
    {
        var generation = Interlocked.Increment(ref stateGeneration);
        var replacementOptions = options.WithStateDir(Path.Combine(options.EffectiveStateDir, $"restart-{generation}"));
        runner.Adopt(replacementOptions);
        return replacementOptions.EffectiveStateDir;
    }
}
