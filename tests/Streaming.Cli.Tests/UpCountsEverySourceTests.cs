using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Streaming.Cli;
using Streaming.Contracts;
using Streaming.Producers;
using Streaming.Testing;

namespace Streaming.Cli.Tests;

/// <summary>`up` reports on everything that went through the stack, not only its own demo traffic.</summary>
public sealed class UpCountsEverySourceTests
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task requests_from_other_clients_during_a_run_are_counted_tracked_and_delivered()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("up-sources-").FullName;
        var (summaryFile, addressFile) = (Path.Combine(dir, "s.json"), Path.Combine(dir, "a.json"));
        string[] args = ["up", "--events", "300", "--rate", "40", "--users", "40", "--until-drained", "--timeout", "180",
            "--plain", "--api-port", "0", "--metrics-port", "0", "--summary", summaryFile, "--addresses", addressFile];
        var up = Task.Run(() => CliApp.RunAsync(args, cancellationToken: ct), ct);

        await Eventually.TrueAsync(() => up.IsCompleted || File.Exists(addressFile), TimeSpan.FromSeconds(120), "the stack's addresses");
        Assert.False(up.IsCompleted, "up ended before its addresses were written");
        using var addresses = JsonDocument.Parse(await File.ReadAllTextAsync(addressFile, ct));
        string Address(string name) => addresses.RootElement.GetProperty(name).GetString()!;

        // 30 through the API with the printed key (as curl would), 20 through the client library as another service.
        using var http = new HttpClient { BaseAddress = new Uri(Address("api")) };
        http.DefaultRequestHeaders.Add("X-Api-Key", Address("demoApiKey"));
        for (var i = 0; i < 30; i++)
        {
            using var answer = await http.PostAsJsonAsync("/v1/notifications", new { userId = DemoUser(i), category = "billing", templateId = "invoice-ready", channels = new[] { "email" }, parameters = new Dictionary<string, string> { ["invoice"] = $"X-{i}", ["amount"] = "1 EUR" } }, ct);
            Assert.Equal(202, (int)answer.StatusCode);
        }

        using var publisher = new NotificationPublisher(Options.Create(new NotificationPublisherOptions
        {
            SourceService = "billing-service",
            Producer = new() { BootstrapServers = Address("kafkaBootstrap") },
            SchemaRegistry = new() { Url = Address("schemaRegistry") },
            Catalog = NotificationCatalog.Demo(),
        }));
        for (var i = 0; i < 20; i++)
        {
            await publisher.PublishAsync(new NotificationRequest { UserId = DemoUser(i), Category = "billing", TemplateId = "invoice-ready", Channels = ["email"], Parameters = new Dictionary<string, string> { ["invoice"] = $"L-{i}", ["amount"] = "2 EUR" } }, ct);
        }

        Assert.Equal(0, await up);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(summaryFile, ct));
        var s = summary.RootElement;
        var demoAccepted = s.GetProperty("demo").GetProperty("accepted").GetInt64();
        Assert.Equal(demoAccepted + 50, s.GetProperty("requested").GetInt64());
        Assert.Equal(20, s.GetProperty("by_source").GetProperty("billing-service").GetInt64());
        Assert.Equal(demoAccepted + 30, s.GetProperty("by_source").GetProperty("demo-traffic").GetInt64());
        Assert.Equal(0, s.GetProperty("lost").GetInt64());
    }

    private static string DemoUser(int i) => $"demo-user-{i % 40:D5}";
}
