using System.CommandLine;
using Streaming.DeliveryLog;
using Streaming.ProviderFakes;

namespace Streaming.Cli;

/// <summary>`streaming up`: the whole local stack in one process, with demo traffic and a live view.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var events = CliOptions.Int("--events", "Send N demo requests, then stop sending (0 = keep sending until Ctrl+C).", 0, 0);
        var rate = CliOptions.Int("--rate", "Demo requests per second.", 50, 1, 100_000);
        var users = CliOptions.Int("--users", "Demo users to seed.", 200, 1, 1_000_000);
        var untilDrained = new Option<bool>("--until-drained") { Description = "Exit once every request has reached the end of the pipeline; non-zero exit naming what is missing after --timeout." };
        var timeout = CliOptions.Int("--timeout", "Seconds --until-drained waits before giving up.", 300, 1);
        var summary = new Option<FileInfo?>("--summary") { Description = "Write a JSON summary of the run to this file on exit." };
        var addresses = new Option<FileInfo?>("--addresses") { Description = "Also write the stack's addresses (and the demo API key) as JSON to this file once it runs." };
        var apiPort = CliOptions.Port("--api-port", "Port of the notification API", 5080);
        var registryPort = CliOptions.Port("--registry-port", "Port of the schema registry", 0);
        var metricsPort = CliOptions.Int("--metrics-port", "Port of the Prometheus scrape endpoint (0 = off).", 9464, 0, 65535);
        var faults = CliOptions.Text("--provider-faults", "Faults the provider fakes inject, e.g. error=0.2,latency=50ms,429=0.05 (see tools/Streaming.ProviderFakes/README.md).", FaultSpecError);
        var deliveryLog = CliOptions.Text("--delivery-log", "Store of the delivery log: sqlite (a file of this run) or cassandra (a local CQL server, the store a fleet shares).",
            v => v is DeliveryLogOptions.SqliteStore or DeliveryLogOptions.CassandraStore ? null : "use sqlite or cassandra");
        var cqlPort = CliOptions.Port("--cql-port", "Port of the local CQL server with --delivery-log cassandra", 0);
        var plain = new Option<bool>("--plain") { Description = "Print periodic plain lines instead of the live view (automatic without a terminal)." };

        var command = new Command("up", "Start the whole platform in one process (embedded Kafka, registry, API, topology, four senders, provider fakes), seed demo users and drive demo traffic.")
        {
            events, rate, users, untilDrained, timeout, summary, addresses, apiPort, registryPort, metricsPort, faults, deliveryLog, cqlPort, plain,
        };
        command.SetAction((result, ct) => new UpRun(new UpOptions(
            result.GetValue(events),
            result.GetValue(rate),
            result.GetValue(users),
            result.GetValue(untilDrained),
            TimeSpan.FromSeconds(result.GetValue(timeout)),
            result.GetValue(summary),
            result.GetValue(addresses),
            result.GetValue(apiPort),
            result.GetValue(registryPort),
            result.GetValue(metricsPort),
            result.GetValue(faults),
            result.GetValue(deliveryLog) ?? DeliveryLogOptions.SqliteStore,
            result.GetValue(cqlPort),
            result.GetValue(plain) || Console.IsOutputRedirected)).RunAsync(ct));
        return command;
    }

    private static string? FaultSpecError(string spec)
    {
        try
        {
            FaultSpec.Parse(spec);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }
}

internal sealed record UpOptions(
    int Events,
    int Rate,
    int Users,
    bool UntilDrained,
    TimeSpan Timeout,
    FileInfo? Summary,
    FileInfo? Addresses,
    int ApiPort,
    int RegistryPort,
    int MetricsPort,
    string? ProviderFaults,
    string DeliveryLogStore,
    int CqlPort,
    bool Plain);
