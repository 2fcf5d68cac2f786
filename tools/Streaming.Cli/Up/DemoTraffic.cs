using System.Diagnostics;
using System.Net.Http.Json;
using Streaming.Api;

namespace Streaming.Cli;

/// <summary>What the demo generator did so far; completions are read before issues, so sent is never below their sum.</summary>
internal sealed record DemoCounts(long Sent, long Accepted, long Rejected, long Failed);

/// <summary>
/// The demo generator of <c>streaming up</c>: an open-loop load (requests are issued on schedule, not after the previous
/// answer) through the real API, with bounded concurrency.
/// </summary>
internal sealed class DemoTraffic(HttpClient api, int rate, int events, int users)
{
    private const int Concurrency = 64;
    private long sent;
    private long accepted;
    private long rejected;
    private long failed;

    public DemoCounts Counts
    {
        get
        {
            var (a, r, f) = (Interlocked.Read(ref accepted), Interlocked.Read(ref rejected), Interlocked.Read(ref failed));
            return new DemoCounts(Interlocked.Read(ref sent), a, r, f);
        }
    }

    /// <summary>Sends until <paramref name="ct"/> is cancelled or <c>events</c> were sent (0 = no limit), then waits for the answers.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var inFlight = new SemaphoreSlim(Concurrency);
        var clock = Stopwatch.StartNew();
        var i = 0;
        try
        {
            while (!ct.IsCancellationRequested && (events == 0 || i < events))
            {
                if (i >= (long)(clock.Elapsed.TotalSeconds * rate))
                {
                    await Task.Delay(5, ct).ConfigureAwait(false);
                    continue;
                }

                await inFlight.WaitAsync(ct).ConfigureAwait(false);
                var body = DemoData.Request(i++, users);
                Interlocked.Increment(ref sent);
                _ = SendOneAsync(body, inFlight, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        for (var k = 0; k < Concurrency; k++)
        {
            await inFlight.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task SendOneAsync(object body, SemaphoreSlim inFlight, CancellationToken ct)
    {
        try
        {
            using var response = await api.PostAsJsonAsync("/v1/notifications", body, ct).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status == 202)
            {
                Interlocked.Increment(ref accepted);
            }
            else
            {
                Interlocked.Increment(ref status < 500 ? ref rejected : ref failed);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            Interlocked.Increment(ref failed);
        }
        finally
        {
            inFlight.Release();
        }
    }
}
