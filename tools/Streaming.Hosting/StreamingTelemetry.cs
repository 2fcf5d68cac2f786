using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Streaming.Hosting;

/// <summary>Exporter settings, bound from the "Telemetry" section.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>False when the process already exports (the in-process local stack runs one provider for all its parts).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Port of the Prometheus scrape endpoint (http://host:port/metrics); 0 turns it off.</summary>
    public int PrometheusPort { get; set; } = 9464;

    /// <summary>
    /// Host name the scrape endpoint binds to: "localhost" (or 127.0.0.1) answers on loopback to both names; "+" listens on every interface (containers).
    /// </summary>
    public string PrometheusHost { get; set; } = "localhost";

    /// <summary>OTLP endpoint (e.g. http://otel-collector:4317) for metrics and traces; empty turns OTLP off.</summary>
    public string? OtlpEndpoint { get; set; }

    public static TelemetryOptions From(IConfiguration configuration)
        => configuration.GetSection(Section).Get<TelemetryOptions>() ?? new TelemetryOptions();

    /// <summary>
    /// The HttpListener prefixes of the scrape endpoint. The listener matches a request's Host header against its prefixes,
    /// so a loopback endpoint registers every local name: Prometheus configured with 127.0.0.1 got 404 from a
    /// "localhost" prefix.
    /// </summary>
    public IReadOnlyList<string> PrometheusPrefixes()
        => PrometheusHost is "localhost" or "127.0.0.1"
            ? [$"http://localhost:{PrometheusPort}/", $"http://127.0.0.1:{PrometheusPort}/"]
            : [$"http://{PrometheusHost}:{PrometheusPort}/"];
}

/// <summary>One place that decides what every host exports: all "Streaming.*" meters and activity sources.</summary>
public static class StreamingTelemetry
{
    /// <summary>Wildcard matching every meter and activity source of the platform.</summary>
    public const string SourcePattern = "Streaming.*";

    /// <summary>Adds OpenTelemetry metrics and tracing to a host, exporters from <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddStreamingTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName, Action<MeterProviderBuilder>? metrics = null, Action<TracerProviderBuilder>? tracing = null)
    {
        var options = TelemetryOptions.From(configuration);
        if (!options.Enabled)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(m =>
            {
                ConfigureMetrics(m, options);
                metrics?.Invoke(m);
            })
            .WithTracing(t =>
            {
                t.AddSource(SourcePattern).AddHttpClientInstrumentation();
                if (!string.IsNullOrEmpty(options.OtlpEndpoint))
                {
                    t.AddOtlpExporter(o => o.Endpoint = new Uri(options.OtlpEndpoint));
                }

                tracing?.Invoke(t);
            });
        return services;
    }

    /// <summary>A standalone meter provider (for the in-process local stack and the benchmark); dispose it to stop exporting.</summary>
    public static MeterProvider CreateMeterProvider(TelemetryOptions options, string serviceName, Action<MeterProviderBuilder>? configure = null)
    {
        var builder = Sdk.CreateMeterProviderBuilder().ConfigureResource(r => r.AddService(serviceName));
        ConfigureMetrics(builder, options);
        configure?.Invoke(builder);
        return builder.Build()!;
    }

    private static void ConfigureMetrics(MeterProviderBuilder m, TelemetryOptions options)
    {
        m.AddMeter(SourcePattern).AddRuntimeInstrumentation();
        // Latency histograms in milliseconds: buckets from 1 ms to 1 min.
        m.AddView(i => i.Name.EndsWith(".duration", StringComparison.Ordinal) || i.Name.EndsWith(".latency", StringComparison.Ordinal)
            ? new ExplicitBucketHistogramConfiguration { Boundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000] }
            : null);
        if (options.PrometheusPort > 0)
        {
            m.AddPrometheusHttpListener(o => o.ConfigureHttpListener = (_, listener) =>
            {
                listener.Prefixes.Clear();
                foreach (var prefix in options.PrometheusPrefixes())
                {
                    listener.Prefixes.Add(prefix);
                }
            });
        }

        if (!string.IsNullOrEmpty(options.OtlpEndpoint))
        {
            m.AddOtlpExporter(o => o.Endpoint = new Uri(options.OtlpEndpoint));
        }
    }
}
