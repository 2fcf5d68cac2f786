using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Streaming.Monitoring;

/// <summary>The lag monitor from configuration: "Kafka:BootstrapServers" and the "LagMonitor" section.</summary>
public static class LagMonitorRegistration
{
    /// <summary>
    /// Registers <see cref="LagMonitorOptions"/> (bound and validated at start), one <see cref="LagMonitor"/> watching
    /// "LagMonitor:Groups" (the platform's own groups when none are configured) and <see cref="LagMonitorService"/>, which
    /// samples every "LagMonitor:Interval" and logs status changes.
    /// </summary>
    public static IServiceCollection AddLagMonitor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LagMonitorOptions>()
            .Bind(configuration.GetSection(LagMonitorOptions.Section))
            .Validate(o => o.Interval > TimeSpan.Zero && o.WindowSamples >= 2 && o.HistorySamples >= 2, "LagMonitor: Interval must be > 0, WindowSamples and HistorySamples >= 2.")
            .Validate(o => o.Groups.All(g => g.Group.Length > 0 && g.Topics.Count > 0), "LagMonitor:Groups: every group needs a Group name and at least one topic in Topics.")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<LagMonitorOptions>>().Value;
            var bootstrap = configuration["Kafka:BootstrapServers"] is { Length: > 0 } b ? b
                : throw new InvalidOperationException("Kafka:BootstrapServers is required by the lag monitor.");
            return new LagMonitor(bootstrap, WatchedGroups(options), options, sp.GetRequiredService<ILoggerFactory>().CreateLogger<LagMonitor>());
        });
        services.AddHostedService<LagMonitorService>();
        return services;
    }

    /// <summary>The configured groups, else the platform's own (listing groups is not possible on every cluster).</summary>
    public static IReadOnlyList<MonitoredGroup> WatchedGroups(LagMonitorOptions options)
        => options.Groups.Count > 0 ? options.Groups : PlatformGroups.Default();
}
