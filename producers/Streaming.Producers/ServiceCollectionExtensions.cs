using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Streaming.Contracts;

namespace Streaming.Producers;

/// <summary>Registers the producer library in one line.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="NotificationPublisher"/> and <see cref="ContactInfoPublisher"/> as singletons, configured from
    /// "NotificationPublisher", "Kafka:Producer", "SchemaRegistry" and "Catalog", validated at start.
    /// </summary>
    public static IServiceCollection AddNotificationPublisher(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationPublisherOptions>()
            .Bind(configuration.GetSection(NotificationPublisherOptions.Section))
            .Configure(o =>
            {
                configuration.GetSection("Kafka:Producer").Bind(o.Producer);
                configuration.GetSection(SchemaRegistryOptions.Section).Bind(o.SchemaRegistry);
                configuration.GetSection(NotificationCatalog.Section).Bind(o.Catalog);
            })
            .Validate(o => !string.IsNullOrWhiteSpace(o.SourceService), "NotificationPublisher:SourceService is required.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Producer.BootstrapServers), "Kafka:Producer:BootstrapServers is required.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.SchemaRegistry.Url), "SchemaRegistry:Url is required.")
            .ValidateOnStart();
        return services.AddPublishers();
    }

    /// <summary>Adds the publishers configured in code.</summary>
    public static IServiceCollection AddNotificationPublisher(this IServiceCollection services, Action<NotificationPublisherOptions> configure)
    {
        services.AddOptions<NotificationPublisherOptions>().Configure(configure).ValidateOnStart();
        return services.AddPublishers();
    }

    private static IServiceCollection AddPublishers(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new NotificationPublisher(
            sp.GetRequiredService<IOptions<NotificationPublisherOptions>>(),
            sp.GetService<Microsoft.Extensions.Logging.ILogger<NotificationPublisher>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ContactInfoPublisher(
            sp.GetRequiredService<IOptions<NotificationPublisherOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
