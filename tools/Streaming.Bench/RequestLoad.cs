using System.Diagnostics;
using Streaming.Contracts;
using Streaming.Producers;

namespace Streaming.Bench;

/// <summary>
/// Offers the bench's requests to the running platform through the client library and waits until each has its final
/// outcome. <paramref name="finished"/> is the senders' own count of final outcomes; <paramref name="where"/> describes
/// the topics when a run stalls.
/// </summary>
internal sealed class RequestLoad(NotificationPublisher publisher, BenchKafka kafka, Func<long> finished, int users, Func<string> where)
{
    // Published minus completed stays under this, so no partition of any topic holds more unread data than the
    // embedded cluster keeps (~5 MiB): ~5 000 records per partition of at most a few hundred bytes.
    private const int Window = 20_000;
    private const int MaxUnacknowledged = 10_000;
    private const int ProgressPeriodSeconds = 5;

    /// <summary>
    /// Publishes <paramref name="count"/> requests; rate 0 = as fast as the closed loop allows. Returns the time from the
    /// first publish to the newest delivery-status record once all are complete, and the offered rate.
    /// </summary>
    public async Task<(TimeSpan Elapsed, double Offered)> RunAsync(int count, int rate, CancellationToken ct)
    {
        var baseline = finished();
        using var unacknowledged = new SemaphoreSlim(MaxUnacknowledged);
        long errors = 0;
        var completed = 0L;
        var startedAt = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var published = 0L;
        using var stopProgress = new CancellationTokenSource();
        var progress = ReportProgressAsync(() => Interlocked.Read(ref published), () => finished() - baseline, clock, stopProgress.Token);
        for (var i = 0; i < count; i++)
        {
            if (rate > 0)
            {
                var due = TimeSpan.FromSeconds((double)i / rate);
                if (due > clock.Elapsed + TimeSpan.FromMilliseconds(2))
                {
                    await Task.Delay(due - clock.Elapsed, ct);
                }
            }

            while (i - completed >= Window)
            {
                completed = finished() - baseline;
                if (i - completed >= Window)
                {
                    await Task.Delay(2, ct);
                }
            }

            await unacknowledged.WaitAsync(ct);
            _ = publisher.PublishAsync(BenchWorkload.Request(i, users), ct).ContinueWith(t =>
            {
                if (t.IsFaulted)
                {
                    Interlocked.Increment(ref errors);
                }

                unacknowledged.Release();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            Interlocked.Increment(ref published);
        }

        var offered = count / clock.Elapsed.TotalSeconds;
        for (var k = 0; k < MaxUnacknowledged; k++)
        {
            await unacknowledged.WaitAsync(ct);
        }

        if (Interlocked.Read(ref errors) > 0)
        {
            throw new BenchFailure($"pipeline: {errors} publishes to {Topics.Requested} failed.");
        }

        await BenchProgress.WaitForCountAsync(() => finished() - baseline, count, TimeSpan.FromSeconds(60), "pipeline (final outcomes)", () => "Records per topic: " + where(), ct);
        await stopProgress.CancelAsync();
        await progress;

        return (kafka.LastRecordTime(Topics.DeliveryStatus) - startedAt, offered);
    }

    /// <summary>
    /// Every few seconds: requests published, channel messages routed by the topology and final outcomes, with the rate
    /// of each since the last line, so a run shows which hop falls behind (a few watermark queries, negligible next to the load).
    /// </summary>
    private async Task ReportProgressAsync(Func<long> published, Func<long> done, Stopwatch clock, CancellationToken ct)
    {
        var routedBase = kafka.Count(BenchWorkload.ChannelTopics);
        long lastPublished = 0, lastRouted = 0, lastFinished = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(ProgressPeriodSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var (p, r, f) = (published(), kafka.Count(BenchWorkload.ChannelTopics) - routedBase, done());
                BenchReport.Say($"  {clock.Elapsed.TotalSeconds,5:0}s  published {p,8} ({(p - lastPublished) / ProgressPeriodSeconds,6}/s)  routed {r,8} ({(r - lastRouted) / ProgressPeriodSeconds,6}/s)  final {f,8} ({(f - lastFinished) / ProgressPeriodSeconds,6}/s)");
                (lastPublished, lastRouted, lastFinished) = (p, r, f);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
