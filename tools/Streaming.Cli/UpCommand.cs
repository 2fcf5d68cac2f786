using System.CommandLine;

namespace Streaming.Cli;

/// <summary>`streaming up`: the whole local stack in one process, with demo traffic and a live view.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var events = new Option<int>("--events") { Description = "Send N demo requests, then stop sending (0 = keep sending until Ctrl+C).", DefaultValueFactory = _ => 0 };
        var rate = new Option<int>("--rate") { Description = "Demo requests per second.", DefaultValueFactory = _ => 50 };
        var users = new Option<int>("--users") { Description = "Demo users to seed.", DefaultValueFactory = _ => 200 };
        var untilDrained = new Option<bool>("--until-drained") { Description = "Exit once every sent request has reached the end of the pipeline; non-zero exit naming what is missing after --timeout." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds --until-drained waits before giving up.", DefaultValueFactory = _ => 300 };
        var summary = new Option<FileInfo?>("--summary") { Description = "Write a JSON summary of the run to this file on exit." };
        var apiPort = new Option<int>("--api-port") { Description = "Port of the notification API (0 = any free port).", DefaultValueFactory = _ => 5080 };
        var registryPort = new Option<int>("--registry-port") { Description = "Port of the schema registry (0 = any free port).", DefaultValueFactory = _ => 0 };
        var metricsPort = new Option<int>("--metrics-port") { Description = "Port of the Prometheus scrape endpoint (0 = off).", DefaultValueFactory = _ => 9464 };
        var faults = new Option<string?>("--provider-faults") { Description = "Faults the provider fakes inject, e.g. error=0.2,latency=50ms,429=0.05 (see senders/README.md)." };
        var plain = new Option<bool>("--plain") { Description = "Print periodic plain lines instead of the live view (automatic without a terminal)." };

        var command = new Command("up", "Start the whole platform in one process (embedded Kafka, registry, API, topology, four senders, provider fakes), seed demo users and drive demo traffic.")
        {
            events, rate, users, untilDrained, timeout, summary, apiPort, registryPort, metricsPort, faults, plain,
        };
        command.SetAction((result, ct) => new LocalStackRunner(new UpOptions(
            result.GetValue(events),
            result.GetValue(rate),
            result.GetValue(users),
            result.GetValue(untilDrained),
            TimeSpan.FromSeconds(result.GetValue(timeout)),
            result.GetValue(summary),
            result.GetValue(apiPort),
            result.GetValue(registryPort),
            result.GetValue(metricsPort),
            result.GetValue(faults),
            result.GetValue(plain) || Console.IsOutputRedirected)).RunAsync(ct));
        return command;
    }
}

internal sealed record UpOptions(
    int Events,
    int Rate,
    int Users,
    bool UntilDrained,
    TimeSpan Timeout,
    FileInfo? Summary,
    int ApiPort,
    int RegistryPort,
    int MetricsPort,
    string? ProviderFaults,
    bool Plain);
