using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Streaming.Contracts;

namespace Streaming.Processors;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the topology as a hosted service with <see cref="ProcessorOptions"/> from "Processor", the broker list from
    /// "Kafka:BootstrapServers", the registry from "SchemaRegistry" and the catalogue from "Catalog", validated at start.
    /// </summary>
    public static IServiceCollection AddNotificationTopology(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProcessorOptions>()
            .Bind(configuration.GetSection(ProcessorOptions.Section))
            .Configure(o =>
            {
                o.BootstrapServers = configuration["Kafka:BootstrapServers"] ?? o.BootstrapServers;
                configuration.GetSection(SchemaRegistryOptions.Section).Bind(o.SchemaRegistry);
                configuration.GetSection(NotificationCatalog.Section).Bind(o.Catalog);
            })
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrWhiteSpace(o.SchemaRegistry.Url), "SchemaRegistry:Url is not configured.")
            .Validate(o => !o.Catalog.IsEmpty, "Catalog is empty: the topology needs the categories and templates it renders.")
            .Validate(o => o.DedupHorizon > TimeSpan.Zero && o.ReleaseInterval >= TimeSpan.FromMilliseconds(10) && o.DedupPurgeInterval >= TimeSpan.FromMilliseconds(10),
                "Processor:DedupHorizon must be positive; ReleaseInterval and DedupPurgeInterval at least 10 ms.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<TopologyService>();
        return services;
    }
}
