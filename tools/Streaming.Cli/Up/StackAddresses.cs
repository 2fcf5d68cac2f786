using System.Text.Json;
using Streaming.LocalStack;

namespace Streaming.Cli;

/// <summary>
/// Where each part of a running local stack answers, printed one per line and never wrapped (a key copied from a log
/// must be whole), and written as JSON for tools.
/// </summary>
internal sealed record StackAddresses(
    string KafkaBootstrap,
    string SchemaRegistry,
    string Api,
    string OpenApi,
    string DemoApiKey,
    string? PrometheusMetrics,
    string ProviderFakes,
    string? ProviderFaults,
    string DeliveryLogStore,
    string DeliveryLog,
    string SenderHostEnvironment,
    string WorkDirectory)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static StackAddresses Of(LocalPlatform platform, UpOptions options, string senderHostEnvironment) => new(
        platform.Cluster.BootstrapServers,
        platform.Registry.UrlString,
        platform.ApiUrl,
        platform.ApiUrl + "/openapi/v1.json",
        platform.DemoApiKey,
        options.MetricsPort > 0 ? $"http://127.0.0.1:{options.MetricsPort}/metrics" : null,
        platform.Fakes.BaseUrl.ToString().TrimEnd('/'),
        string.IsNullOrEmpty(options.ProviderFaults) ? null : options.ProviderFaults,
        platform.DeliveryLog.Store,
        platform.DeliveryLog.Location,
        senderHostEnvironment,
        platform.Settings.WorkDirectory);

    /// <summary>Plain "name  value" lines straight to standard output: no table, no wrapping at the terminal's width.</summary>
    public void Print(TextWriter output)
    {
        (string Name, string? Value)[] rows =
        [
            ("Kafka bootstrap (embedded)", KafkaBootstrap),
            ("Schema registry", SchemaRegistry),
            ("Notification API", Api),
            ("OpenAPI document", OpenApi),
            ("Demo API key (X-Api-Key)", DemoApiKey),
            ("Prometheus metrics", PrometheusMetrics ?? "off"),
            ("Provider fakes (APNs, FCM, Twilio, SendGrid)", ProviderFakes + (ProviderFaults is null ? "" : $"  faults: {ProviderFaults}")),
            ($"Delivery log ({DeliveryLogStore})", DeliveryLog),
            ("Addresses as JSON", AddressFile(WorkDirectory)),
        ];
        output.WriteLine("Streaming local stack");
        var width = rows.Max(r => r.Name.Length);
        foreach (var (name, value) in rows)
        {
            output.WriteLine($"  {name.PadRight(width)}  {value}");
        }

        output.WriteLine($"  Try: streaming lag --bootstrap {KafkaBootstrap} --watch");
        output.WriteLine($"  More sender hosts: set -a && . {SenderHostEnvironment} && set +a && dotnet run --project senders/Streaming.Senders.Host");
    }

    public async Task WriteAsync(string path) => await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, Json));

    /// <summary>The JSON file every run writes into its work directory.</summary>
    public static string AddressFile(string workDirectory) => Path.Combine(workDirectory, "addresses.json");
}
