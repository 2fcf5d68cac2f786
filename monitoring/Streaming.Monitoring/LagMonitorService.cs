using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Streaming.Monitoring;

/// <summary>Samples the watched groups every interval (the gauges read the latest sample) and logs each change of a group's status.</summary>
public sealed class LagMonitorService(LagMonitor monitor, IOptions<LagMonitorOptions> options, ILogger<LagMonitorService> logger) : BackgroundService
{
    private readonly Dictionary<string, GroupStatus> last = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LagLog.Watching(logger, string.Join(", ", monitor.Groups.Select(g => $"{g.Group}={string.Join(',', g.Topics)}")), options.Value.Interval);
        try
        {
            await monitor.RunAsync(options.Value.Interval, Report, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private void Report(IReadOnlyList<GroupLag> sample)
    {
        foreach (var g in sample)
        {
            if (last.TryGetValue(g.Group, out var before) && before == g.Status)
            {
                continue;
            }

            last[g.Group] = g.Status;
            LagLog.StatusChanged(logger, g.Group, g.Status, g.TotalLag, g.MaxLagSeconds, g.Reason);
        }
    }
}
