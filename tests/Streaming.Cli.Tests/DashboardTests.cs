using System.Text.Json;
using System.Text.RegularExpressions;
using Streaming.Testing;

namespace Streaming.Cli.Tests;

public sealed partial class DashboardTests
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task every_metric_the_dashboard_queries_is_one_the_platform_exports()
    {
        var exported = await MetricNames.ExportedAsync();
        var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.Of("deploy", "grafana", "dashboards", "streaming.json"), TestContext.Current.CancellationToken)).RootElement;
        var exprs = dashboard.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .ToList();

        Assert.True(exprs.Count >= 10, "the dashboard should cover lag, throughput, outcomes and latency");
        var queried = exprs.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).Distinct().ToList();
        Assert.NotEmpty(queried);
        foreach (var name in queried)
        {
            // Histogram series are <family>_bucket / _sum / _count.
            var family = HistogramSeries().Replace(name, "");
            Assert.True(exported.Contains(name) || exported.Contains(family), $"the dashboard queries '{name}', which nothing exports. Exported: {string.Join(", ", exported.Order())}");
        }

        // Every area an SRE asks about has a panel.
        string[] areas = ["streaming_consumer_lag", "streaming_consumer_lag_seconds", "streaming_api_requests_total", "streaming_senders_deliveries_total", "streaming_senders_end_to_end_duration_milliseconds_bucket", "streaming_topology_dlq_total"];
        Assert.All(areas, a => Assert.Contains(a, queried));
    }

    [GeneratedRegex(@"\bstreaming_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSeries();
}
