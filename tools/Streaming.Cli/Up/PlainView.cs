using Spectre.Console;

namespace Streaming.Cli;

/// <summary>One plain line per refresh, for logs, pipes and CI (chosen automatically without a terminal).</summary>
internal static class PlainView
{
    public static async Task<int> RunAsync(UpFrames frames, DrainCheck? drain, Task traffic, CancellationToken ct)
    {
        while (true)
        {
            var f = await frames.NextAsync(TimeSpan.FromSeconds(2), ct);
            var s = f.Snapshot;
            var outcomes = string.Join(" ", s.Outcomes.Select(kv => $"{kv.Key}={kv.Value}"));
            var lags = string.Join(" ", f.Lags.Select(g => $"{g.Group}={g.TotalLag}/{g.Status.ToString().ToUpperInvariant()}"));
            Console.WriteLine($"[{f.Uptime:hh\\:mm\\:ss}] requests={s.Requested} req/s={f.RequestsPerSecond:0} (demo sent={f.Demo.Sent} accepted={f.Demo.Accepted} rejected={f.Demo.Rejected} failed={f.Demo.Failed}) "
                + $"| final={s.Final} held={s.Held} in-flight={s.Pending.Count} | {outcomes} | e2e ms p50={s.Latency.P50} p99={s.Latency.P99} | lag {lags}");
            if (drain?.Check(f, traffic.IsCompleted, out var why) is { } code)
            {
                if (why is not null)
                {
                    AnsiConsole.MarkupLine(Markup.Escape(why));
                }

                return code;
            }
        }
    }
}
