using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Streaming.Hosting;
using Streaming.LocalStack;
using Streaming.Monitoring;

namespace Streaming.Cli.Tests;

/// <summary>
/// The metric family names the platform really exports through the Prometheus exporter: every Streaming.*
/// instrument is given one value, the lag gauges get a real sample, and the scrape output is parsed.
/// </summary>
internal static partial class MetricNames
{
    private static readonly Lazy<Task<HashSet<string>>> Exported = new(ScrapeAsync);

    public static Task<HashSet<string>> ExportedAsync() => Exported.Value;

    private static async Task<HashSet<string>> ScrapeAsync()
    {
        // Static metric holders create their instruments in their type initialisers.
        foreach (var type in new[] { typeof(Streaming.Processors.ProcessorMetrics), typeof(Streaming.Senders.SenderMetrics), typeof(Streaming.Api.NotificationApi).Assembly.GetType("Streaming.Api.ApiMetrics")! })
        {
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
        }

        var port = FreePort();
        using var provider = StreamingTelemetry.CreateMeterProvider(new TelemetryOptions { PrometheusPort = port }, "metric-names-test");
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (!instrument.Meter.Name.StartsWith("Streaming.", StringComparison.Ordinal))
                {
                    return;
                }

                var tag = new KeyValuePair<string, object?>("probe", "1");
                switch (instrument)
                {
                    case Counter<long> c: c.Add(1, tag); break;
                    case Counter<double> c: c.Add(1, tag); break;
                    case Histogram<double> h: h.Record(1, tag); break;
                    case Histogram<long> h: h.Record(1, tag); break;
                    case UpDownCounter<long> u: u.Add(1, tag); break;
                }
            },
        };
        listener.Start();

        // The lag gauges report what the monitor last sampled: give it one real sample.
        using var cluster = LocalKafkaCluster.Start(brokers: 1, topics: ["metric-names"]);
        using var monitor = new LagMonitor(cluster.BootstrapServers, [new MonitoredGroup { Group = "g", Topics = ["metric-names"] }]);
        await monitor.SampleAsync();

        using var http = new HttpClient();
        var text = await http.GetStringAsync($"http://localhost:{port}/metrics");
        return [.. Family().Matches(text).Select(m => m.Groups[1].Value)];
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^# TYPE (\S+) ", RegexOptions.Multiline)]
    private static partial Regex Family();
}
