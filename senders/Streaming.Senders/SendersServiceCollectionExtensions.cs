using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Streaming.DeliveryLog;
using Streaming.Contracts;

namespace Streaming.Senders;

/// <summary>Registers channel senders as hosted services, configured from IConfiguration.</summary>
public static class SendersServiceCollectionExtensions
{
    /// <summary>
    /// Adds one hosted <see cref="ChannelSender"/> per channel (default: "--channel" / "Senders:Channels", comma-separated,
    /// else all four) and the delivery log of "DeliveryLog:Store" they share, unless an <see cref="IDeliveryLog"/> is
    /// already registered.
    /// </summary>
    public static IServiceCollection AddChannelSenders(this IServiceCollection services, IConfiguration configuration, IEnumerable<string>? channels = null)
    {
        var selected = (channels ?? SelectedChannels(configuration)).ToList();
        services.AddSingleton(TimeProvider.System);
        services.AddDeliveryLog(configuration);

        var providers = ProvidersFrom(configuration);
        foreach (var channel in selected)
        {
            var options = ChannelSenderOptionsFrom(configuration, channel);
            if (!options.Enabled)
            {
                continue;
            }

            services.AddSingleton<IHostedService>(sp => new ChannelSender(options, providers, sp.GetRequiredService<IDeliveryLog>(),
                sp.GetService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        }

        return services;
    }

    /// <summary>"--channel sms" or "Senders:Channels" (comma-separated), else all four channels.</summary>
    public static IReadOnlyList<string> SelectedChannels(IConfiguration configuration)
    {
        var value = configuration["channel"] ?? configuration[$"{ChannelSenderOptions.Section}:Channels"];
        return string.IsNullOrWhiteSpace(value) || value == "all"
            ? Topics.SenderChannels
            : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Options of one channel: "Kafka:Consumer", "Kafka:Producer", "SchemaRegistry", then "Senders:&lt;channel&gt;" on top.</summary>
    public static ChannelSenderOptions ChannelSenderOptionsFrom(IConfiguration configuration, string channel)
    {
        var options = new ChannelSenderOptions { Channel = channel };
        configuration.GetSection("Kafka:Consumer").Bind(options.Consumer);
        configuration.GetSection("Kafka:Producer").Bind(options.Producer);
        configuration.GetSection(SchemaRegistryOptions.Section).Bind(options.SchemaRegistry);
        var section = configuration.GetSection($"{ChannelSenderOptions.Section}:{channel}");
        if (section.GetSection(nameof(ChannelSenderOptions.RetryDelays)).GetChildren().Any())
        {
            options.RetryDelays = []; // the binder appends to arrays; configured tiers replace the defaults
        }

        section.Bind(options);
        options.Channel = channel;
        return options;
    }

    public static ProvidersOptions ProvidersFrom(IConfiguration configuration)
    {
        var providers = new ProvidersOptions();
        configuration.GetSection(ProvidersOptions.Section).Bind(providers);
        return providers;
    }
}
