using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Streaming.DeliveryLog;
using Streaming.Hosting;
using Streaming.Producers;

namespace Streaming.Api;

/// <summary>The notification HTTP API: builds the web app so the host, the local stack and tests run the same thing.</summary>
public static class NotificationApi
{
    /// <summary>Builds the app. <paramref name="configure"/> may add configuration or services (the local stack and tests use it).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        builder.Services.AddNotificationPublisher(builder.Configuration);
        // The store of "DeliveryLog:Store", unless the caller registered a log already (the local stack shares its run's).
        builder.Services.AddDeliveryLog(builder.Configuration);
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<ApiKeyAuthenticator>();
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddSingleton<ClientRateLimiters>();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        var telemetry = TelemetryOptions.From(builder.Configuration);
        // The scrape is served at /metrics on the API's own port (the exporter only collects when telemetry is on).
        builder.Services.AddStreamingTelemetry(builder.Configuration, "notification-api",
            m => m.AddAspNetCoreInstrumentation().AddPrometheusExporter(), t => t.AddAspNetCoreInstrumentation());
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages(Problems.WriteStatusCodePage);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).ExcludeFromDescription();
        if (telemetry.Enabled)
        {
            app.MapPrometheusScrapingEndpoint().ExcludeFromDescription();
        }

        NotificationEndpoint.Map(app);
        StatusEndpoint.Map(app);
        ContactEndpoints.Map(app);
        app.Lifetime.ApplicationStarted.Register(() => ApiLog.Listening(app.Logger, string.Join(", ", Urls(app))));
        return app;
    }

    /// <summary>The addresses the app listens on (after start).</summary>
    public static IReadOnlyList<string> Urls(WebApplication app)
        => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
}
