using System.Net;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>The API serves its Prometheus scrape at /metrics on its own port.</summary>
public sealed class MetricsEndpointTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task metrics_are_scraped_from_the_apis_own_port_at_slash_metrics()
    {
        await using var api = await ApiHarness.StartAsync(fx, new() { ["Telemetry:Enabled"] = "true", ["Telemetry:PrometheusPort"] = "0" });
        using (var accepted = await api.PostAsync(ApiHarness.ValidBody()))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var response = await api.Http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("streaming_api_requests", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration", text, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task without_telemetry_there_is_no_metrics_endpoint()
    {
        await using var api = await ApiHarness.StartAsync(fx);
        using var response = await api.Http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
