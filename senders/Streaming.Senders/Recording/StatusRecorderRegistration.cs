using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Streaming.Contracts;
using Streaming.DeliveryLog;

namespace Streaming.Senders.Recording;

/// <summary>The status recorder as a hosted service, configured from IConfiguration.</summary>
public static class StatusRecorderRegistration
{
    /// <summary>
    /// Adds the <see cref="StatusRecorder"/> unless "StatusRecorder:Enabled" is false, with the delivery log of
    /// "DeliveryLog:Store" (shared with the senders when they are registered too).
    /// </summary>
    public static IServiceCollection AddStatusRecorder(this IServiceCollection services, IConfiguration configuration)
    {
        var options = OptionsFrom(configuration);
        if (!options.Enabled)
        {
            return services;
        }

        services.AddDeliveryLog(configuration);
        services.AddSingleton<IHostedService>(sp => new StatusRecorder(options, sp.GetRequiredService<IDeliveryLog>(), sp.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>"Kafka:Consumer" and "SchemaRegistry", then "StatusRecorder" on top.</summary>
    public static StatusRecorderOptions OptionsFrom(IConfiguration configuration)
    {
        var options = new StatusRecorderOptions();
        configuration.GetSection("Kafka:Consumer").Bind(options.Consumer);
        configuration.GetSection(SchemaRegistryOptions.Section).Bind(options.SchemaRegistry);
        configuration.GetSection(StatusRecorderOptions.Section).Bind(options);
        return options;
    }
}
