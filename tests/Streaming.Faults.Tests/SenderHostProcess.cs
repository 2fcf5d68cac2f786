using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Streaming.DeliveryLog;
using Streaming.Senders;
using Streaming.Testing;

namespace Streaming.Faults.Tests;

/// <summary>
/// A sender instance as its own process: the senders host (Streaming.Senders.Host) configured only through environment
/// variables, the way a deployment configures it, so a test can kill it for real (SIGKILL: no drain, no commit, no leave).
/// </summary>
internal sealed class SenderHostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private SenderHostProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => process.Id;

    public string Output => string.Join(Environment.NewLine, output);

    /// <summary>Starts an instance of <paramref name="sender"/>'s channel and group, committing every <paramref name="commitIntervalMs"/>.</summary>
    public static SenderHostProcess Start(ChannelSenderOptions sender, ProvidersOptions providers, CassandraDeliveryLogOptions log, int commitIntervalMs)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(Path.Combine(RepoPaths.OutputOf("senders/Streaming.Senders.Host"), "Streaming.Senders.Host.dll"));
        foreach (var (key, value) in Settings(sender, providers, log, commitIntervalMs))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return new SenderHostProcess(Process.Start(start)!);
    }

    /// <summary>Waits until the instance owns partitions (its "assigned" log line) or fails with its output.</summary>
    public Task WaitForAssignmentAsync(TimeSpan timeout)
        => Eventually.TrueAsync(() => process.HasExited ? throw new InvalidOperationException("The sender host exited:\n" + Output) : output.Any(l => l.Contains(" assigned ", StringComparison.Ordinal)),
            timeout, "the sender host process got partitions");

    /// <summary>Kills the process at once, as a crash or an OOM kill would.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await KillAsync();
        }

        process.Dispose();
    }

    private static IEnumerable<(string Key, string Value)> Settings(ChannelSenderOptions s, ProvidersOptions p, CassandraDeliveryLogOptions log, int commitIntervalMs)
    {
        string Ms(double ms) => TimeSpan.FromMilliseconds(ms).ToString("c", CultureInfo.InvariantCulture);
        var section = $"Senders:{s.Channel}";
        (string, string)[] settings =
        [
            ("DOTNET_ENVIRONMENT", "Test"), ("Telemetry:Enabled", "false"),
            ("Logging:LogLevel:Default", "Warning"), ("Logging:LogLevel:Streaming.Senders", "Information"),
            ("Senders:Channels", s.Channel), ($"{section}:GroupId", s.ResolvedGroupId), ($"{section}:Topic", s.ResolvedTopic),
            ($"{section}:RetryTopic", s.RetryTopic!), ($"{section}:DeadLetterTopic", s.ResolvedDeadLetterTopic),
            ($"{section}:StatusTopic", s.ResolvedStatusTopic), ($"{section}:DevicesTopic", s.ResolvedDevicesTopic),
            ($"{section}:RatePerSecond", "0"), ($"{section}:InPlaceRetries", s.InPlaceRetries.ToString(CultureInfo.InvariantCulture)),
            ("Kafka:Consumer:BootstrapServers", s.Consumer.BootstrapServers), ("Kafka:Consumer:AutoOffsetReset", "Error"),
            ("Kafka:Consumer:SessionTimeoutMs", s.Consumer.SessionTimeoutMs!.Value.ToString(CultureInfo.InvariantCulture)),
            ("Kafka:Consumer:HeartbeatIntervalMs", s.Consumer.HeartbeatIntervalMs!.Value.ToString(CultureInfo.InvariantCulture)),
            ("Kafka:Consumer:AutoCommitIntervalMs", commitIntervalMs.ToString(CultureInfo.InvariantCulture)),
            ("Kafka:Consumer:FetchWaitMaxMs", "20"),
            ("Kafka:Producer:BootstrapServers", s.Producer.BootstrapServers), ("Kafka:Producer:LingerMs", "1"),
            ("SchemaRegistry:Url", s.SchemaRegistry.Url),
            ("Providers:Twilio:BaseUrl", p.Twilio.BaseUrl), ("Providers:Twilio:AccountSid", p.Twilio.AccountSid),
            ("Providers:Twilio:AuthToken", p.Twilio.AuthToken), ("Providers:Twilio:From", p.Twilio.From!),
            ("Providers:SendGrid:BaseUrl", p.SendGrid.BaseUrl), ("Providers:SendGrid:ApiKey", p.SendGrid.ApiKey),
            ("Providers:SendGrid:FromEmail", p.SendGrid.FromEmail),
            ("DeliveryLog:Store", DeliveryLogOptions.CassandraStore), ("DeliveryLog:Cassandra:ContactPoints:0", log.ContactPoints[0]),
            ("DeliveryLog:Cassandra:Keyspace", log.Keyspace), ("DeliveryLog:Cassandra:LocalDatacenter", log.LocalDatacenter ?? "datacenter1"),
            ("StatusRecorder:Enabled", "false"),
        ];
        foreach (var (i, delay) in s.RetryDelays.Index())
        {
            yield return ($"{section}:RetryDelays:{i}", Ms(delay.TotalMilliseconds));
        }

        foreach (var setting in settings)
        {
            yield return setting;
        }
    }
}
