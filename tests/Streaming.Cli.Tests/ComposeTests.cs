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
    private static YamlMappingNode Root()
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(RepoPaths.Of("docker-compose.kafka.yml")));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlMappingNode Services() => (YamlMappingNode)Root()["services"];

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
        string[] expected = ["kafka", "kafka-init", "schema-registry", "cassandra", "cassandra-schema", "prometheus", "grafana", "notification-api", "processor", "senders", "lag-monitor"];
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

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void every_file_a_service_references_is_provided_by_a_mount_or_a_secret_and_exists()
    {
        var declaredSecrets = Root().Children.TryGetValue("secrets", out var s) ? (YamlMappingNode)s : new YamlMappingNode();
        var checkedPaths = 0;
        foreach (var (name, node) in Services().Children)
        {
            var service = (YamlMappingNode)node;
            var mounts = new List<string>();
            foreach (var volume in Sequence(service, "volumes").Select(v => ((YamlScalarNode)v).Value!))
            {
                var parts = volume.Split(':');
                if (parts[0].StartsWith("./", StringComparison.Ordinal))
                {
                    Assert.True(File.Exists(RepoPaths.Of(parts[0])) || Directory.Exists(RepoPaths.Of(parts[0])), $"{name}: {parts[0]} is not in the repository");
                }

                mounts.Add(parts[1]);
            }

            foreach (var secret in Sequence(service, "secrets").Cast<YamlMappingNode>())
            {
                var source = ((YamlScalarNode)secret["source"]).Value!;
                Assert.True(declaredSecrets.Children.ContainsKey(source), $"{name}: secret {source} is not declared");
                var declared = (YamlMappingNode)declaredSecrets[source];
                Assert.True(declared.Children.ContainsKey("environment") || (declared.Children.TryGetValue("file", out var f) && File.Exists(RepoPaths.Of(((YamlScalarNode)f).Value!))),
                    $"{name}: secret {source} has neither an environment variable nor an existing file");
                mounts.Add("/run/secrets/" + ((YamlScalarNode)secret["target"]).Value);
            }

            var environment = service.Children.TryGetValue("environment", out var e) ? (YamlMappingNode)e : new YamlMappingNode();
            foreach (var (key, value) in environment.Children)
            {
                var path = ((YamlScalarNode)value).Value ?? "";
                if (path.StartsWith('/') && (path.Contains(".p8", StringComparison.Ordinal) || path.Contains(".json", StringComparison.Ordinal) || path.Contains("/run/secrets", StringComparison.Ordinal)))
                {
                    Assert.True(mounts.Any(m => path == m || path.StartsWith(m.TrimEnd('/') + "/", StringComparison.Ordinal)), $"{name}: {key} points at {path}, which nothing mounts");
                    checkedPaths++;
                }
            }
        }

        Assert.True(checkedPaths >= 2, "the senders' provider key files must be among the checked paths");
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task kafka_init_creates_every_topic_the_platform_uses()
    {
        // Run the init script with the topic tool replaced by echo, and read what it would create.
        var script = ((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)Services()["kafka-init"])["command"]).Children[0]).Value!
            .Replace("$$", "$", StringComparison.Ordinal)
            .Replace("k=/opt/kafka/bin/kafka-topics.sh", "k=echo", StringComparison.Ordinal);
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var bash = System.Diagnostics.Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await bash.WaitForExitAsync(TestContext.Current.CancellationToken);
        var created = System.Text.RegularExpressions.Regex.Matches(output, @"--topic (\S+)").Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal(0, bash.ExitCode);
        Assert.All(Topics.All, t => Assert.Contains(t, created));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void the_delivery_log_schema_is_applied_by_a_one_shot_container_that_the_hosts_wait_for()
    {
        var schema = (YamlMappingNode)Services()["cassandra-schema"];
        var mount = Sequence(schema, "volumes").Select(v => ((YamlScalarNode)v).Value!).Single(v => v.StartsWith("./schemas/delivery_log.cql:", StringComparison.Ordinal)).Split(':')[1];
        Assert.Contains(mount, Sequence(schema, "entrypoint").Select(a => ((YamlScalarNode)a).Value));
        foreach (var host in new[] { "senders", "notification-api" })
        {
            var dependsOn = (YamlMappingNode)((YamlMappingNode)Services()[host])["depends_on"];
            Assert.Equal("service_completed_successfully", ((YamlScalarNode)((YamlMappingNode)dependsOn["cassandra-schema"])["condition"]).Value);
        }
    }

    private static IEnumerable<YamlNode> Sequence(YamlMappingNode node, string key)
        => node.Children.TryGetValue(key, out var value) && value is YamlSequenceNode sequence ? sequence.Children : [];

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
