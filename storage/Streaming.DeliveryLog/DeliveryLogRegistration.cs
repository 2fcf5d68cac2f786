using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Streaming.DeliveryLog;

/// <summary>The configured delivery-log store ("DeliveryLog:Store"), for hosts and for code that builds one itself.</summary>
public static class DeliveryLogRegistration
{
    /// <summary>
    /// Registers <see cref="DeliveryLogOptions"/> (bound from "DeliveryLog", validated at start) and one shared
    /// <see cref="IDeliveryLog"/> of the configured store, unless one is registered already.
    /// </summary>
    public static IServiceCollection AddDeliveryLog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryLogOptions>()
            .Bind(configuration.GetSection(DeliveryLogOptions.Section))
            .Validate(o => !o.Problems().Any(), "DeliveryLog settings are not usable (see the DeliveryLog:* keys).")
            .ValidateOnStart();
        services.TryAddSingleton(sp => Create(sp.GetRequiredService<IOptions<DeliveryLogOptions>>().Value, sp.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>The store <paramref name="options"/> names; throws with every problem when they are not usable.</summary>
    public static IDeliveryLog Create(DeliveryLogOptions options, ILoggerFactory? loggerFactory = null)
    {
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        return options.IsCassandra ? new CassandraDeliveryLog(options.Cassandra, loggerFactory) : new SqliteDeliveryLog(options);
    }

    /// <summary>"DeliveryLog" of <paramref name="configuration"/>, bound.</summary>
    public static DeliveryLogOptions OptionsFrom(IConfiguration configuration)
    {
        var options = new DeliveryLogOptions();
        configuration.GetSection(DeliveryLogOptions.Section).Bind(options);
        return options;
    }
}
