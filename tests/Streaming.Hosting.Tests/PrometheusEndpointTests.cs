using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Streaming.Hosting;
using Streaming.Testing;

namespace Streaming.Hosting.Tests;

public sealed class PrometheusEndpointTests
{
    [Theory(Timeout = TestLimits.TimeoutMs)]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task the_loopback_scrape_endpoint_answers_both_local_names(string configuredHost)
    {
        var port = FreePort();
        using var meter = new Meter("Streaming.HostingTests");
        using var provider = StreamingTelemetry.CreateMeterProvider(new TelemetryOptions { PrometheusPort = port, PrometheusHost = configuredHost }, "hosting-tests");
        meter.CreateCounter<long>("streaming.tests.scraped").Add(3); // measured once the provider listens
        using var http = new HttpClient();

        foreach (var name in new[] { "localhost", "127.0.0.1" })
        {
            using var answer = await http.GetAsync($"http://{name}:{port}/metrics", TestContext.Current.CancellationToken);
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"http://{name}:{port}/metrics answered {(int)answer.StatusCode}");
            Assert.Contains("streaming_tests_scraped", await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
