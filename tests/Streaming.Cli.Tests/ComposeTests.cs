using System.Collections;
using System.Reflection;
using Confluent.Kafka;
using Streaming.DeliveryLog;
using Streaming.Api;
using Streaming.Contracts;
using Streaming.Hosting;
using Streaming.Monitoring;
using Streaming.Processors;
using Streaming.Producers;
using Streaming.Senders;
using Streaming.Senders.Recording;
using Streaming.Testing;
using YamlDotNet.RepresentationModel;

namespace Streaming.Cli.Tests;

/// <summary>The real-stack compose file cannot be started here, so it is checked statically against the hosts' options.</summary>
public sealed class ComposeTests
{
    private static YamlMappingNode Services()
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(RepoPaths.Of("docker-compose.kafka.yml")));
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    /// <summary>Configuration sections each host binds, and the options type behind each.</summary>
    private static readonly Dictionary<string, Dictionary<string, Type>> HostSections = new()
    {
        ["Streaming.Api"] = new()
        {
            ["Kafka:Producer"] = typeof(ProducerConfig), ["SchemaRegistry"] = typeof(SchemaRegistryOptions),
            ["NotificationPublisher"] = typeof(NotificationPublisherOptions), ["Api"] = typeof(ApiOptions),
            ["Telemetry"] = typeof(TelemetryOptions), ["Catalog"] = typeof(NotificationCatalog), ["DeliveryLog"] = typeof(DeliveryLogOptions),
        },
        ["Streaming.Processors.Host"] = new()
        {
            ["Kafka"] = typeof(ProcessorOptions), // Kafka:BootstrapServers → ProcessorOptions.BootstrapServers
            ["Processor"] = typeof(ProcessorOptions), ["SchemaRegistry"] = typeof(SchemaRegistryOptions),
            ["Telemetry"] = typeof(TelemetryOptions), ["Catalog"] = typeof(NotificationCatalog),
        },
        ["Streaming.Senders.Host"] = new()
        {
            ["Kafka:Consumer"] = typeof(ConsumerConfig), ["Kafka:Producer"] = typeof(ProducerConfig),
            ["SchemaRegistry"] = typeof(SchemaRegistryOptions), ["DeliveryLog"] = typeof(DeliveryLogOptions),
            ["Providers"] = typeof(ProvidersOptions), ["Telemetry"] = typeof(TelemetryOptions),
            ["Senders:apns"] = typeof(ChannelSenderOptions), ["Senders:fcm"] = typeof(ChannelSenderOptions),
            ["Senders:sms"] = typeof(ChannelSenderOptions), ["Senders:email"] = typeof(ChannelSenderOptions),
            ["Senders:Channels"] = typeof(string), ["StatusRecorder"] = typeof(StatusRecorderOptions),
        },
        ["Streaming.Monitoring.Host"] = new()
        {
            ["Kafka:BootstrapServers"] = typeof(string), ["LagMonitor"] = typeof(LagMonitorOptions), ["Telemetry"] = typeof(TelemetryOptions),
        },
    };

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void compose_file_parses_and_has_the_whole_stack()
    {
        var services = Services().Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();
        string[] expected = ["kafka", "kafka-init", "schema-registry", "cassandra", "prometheus", "grafana", "notification-api", "processor", "senders", "lag-monitor"];
        Assert.All(expected, s => Assert.Contains(s, services));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void every_setting_the_compose_file_passes_to_a_host_exists_in_that_hosts_options()
    {
        var checkedKeys = 0;
        foreach (var (name, node) in Services().Children)
        {
            var service = (YamlMappingNode)node;
            if (!service.Children.TryGetValue("build", out var build) || ((YamlMappingNode)build)["args"] is not YamlMappingNode args)
            {
                continue;
            }

            var assembly = ((YamlScalarNode)args["ASSEMBLY"]).Value!;
            if (!HostSections.TryGetValue(assembly, out var sections))
            {
                continue;
            }

            if (!service.Children.TryGetValue("environment", out var env))
            {
                continue;
            }

            foreach (var (k, _) in ((YamlMappingNode)env).Children)
            {
                var key = ((YamlScalarNode)k).Value!;
                if (key.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || key.StartsWith("DOTNET_", StringComparison.Ordinal))
                {
                    continue;
                }

                var path = key.Split("__");
                var section = sections.Keys.Where(s => path.Length >= s.Split(':').Length && string.Join(':', path.Take(s.Split(':').Length)).Equals(s, StringComparison.OrdinalIgnoreCase))
                    .OrderByDescending(s => s.Length).FirstOrDefault();
                Assert.True(section is not null, $"{name}: {key} is in no section the host {assembly} binds");
                var rest = path.Skip(section!.Split(':').Length).ToArray();
                Assert.True(rest.Length == 0 ? sections[section] == typeof(string) : Resolves(sections[section], rest), $"{name}: {key} does not exist on {sections[section].Name}");
                checkedKeys++;
            }
        }

        Assert.True(checkedKeys >= 20, $"only {checkedKeys} settings checked");
    }

    private static bool Resolves(Type type, string[] path)
    {
        var current = type;
        for (var i = 0; i < path.Length; i++)
        {
            var property = current.GetProperty(path[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return false;
            }

            current = property.PropertyType;
            if (i + 1 < path.Length)
            {
                if (current.IsArray || (current.IsGenericType && typeof(IList).IsAssignableFrom(current)))
                {
                    if (!int.TryParse(path[++i], out _))
                    {
                        return false;
                    }

                    current = current.IsArray ? current.GetElementType()! : current.GetGenericArguments()[0];
                }
                else if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(Dictionary<,>))
                {
                    i++;
                    current = current.GetGenericArguments()[1];
                }
            }
        }

        return true;
    }
}
