using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>Publisher options on the shared cluster, and a request the demo catalogue accepts.</summary>
internal static class PublisherSamples
{
    public static NotificationPublisherOptions Options(LocalStackFixture fx, string topic) => new()
    {
        SourceService = "checkout",
        Topic = topic,
        Producer = new() { BootstrapServers = fx.BootstrapServers },
        SchemaRegistry = new() { Url = fx.RegistryUrl },
        Catalog = NotificationCatalog.Demo(),
    };

    public static NotificationRequest Valid(string user = "pub-user") => new()
    {
        UserId = user,
        Category = "social",
        TemplateId = "new-comment",
        Parameters = new Dictionary<string, string> { ["author"] = "Bob", ["snippet"] = "Nice!" },
    };
}
