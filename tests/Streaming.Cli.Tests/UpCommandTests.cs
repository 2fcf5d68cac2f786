using System.Text.Json;
using Streaming.Cli;
using Streaming.Testing;

namespace Streaming.Cli.Tests;

/// <summary>The README's first command, run in-process the way a newcomer runs it, with the summary checked.</summary>
public sealed class UpCommandTests
{
    private static async Task<(int Exit, JsonElement Summary)> RunUp(params string[] extra)
    {
        var summary = Path.Combine(Path.GetTempPath(), $"up-summary-{Guid.NewGuid():N}.json");
        try
        {
            string[] args = ["up", "--events", "300", "--rate", "150", "--users", "60", "--until-drained", "--timeout", "180",
                "--plain", "--api-port", "0", "--metrics-port", "0", "--summary", summary, .. extra];
            var exit = await CliApp.RunAsync(args, cancellationToken: TestContext.Current.CancellationToken);
            return (exit, JsonDocument.Parse(await File.ReadAllTextAsync(summary, TestContext.Current.CancellationToken)).RootElement.Clone());
        }
        finally
        {
            File.Delete(summary);
        }
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task up_until_drained_delivers_every_request_once_and_loses_none()
    {
        var (exit, s) = await RunUp();

        Assert.Equal(0, exit);
        Assert.Equal(0, s.GetProperty("lost").GetInt64());
        Assert.Equal(0, s.GetProperty("duplicates_at_provider").GetInt64());
        Assert.True(s.GetProperty("requested").GetInt64() >= 290, s.ToString()); // ~1 % of demo requests are invalid on purpose
        var outcomes = s.GetProperty("outcomes");
        Assert.True(outcomes.GetProperty("delivered").GetInt64() > 200, s.ToString());
        Assert.True(outcomes.GetProperty("suppressed").GetInt64() > 0, "the demo population has opted-out users");
        Assert.True(outcomes.GetProperty("failed").GetInt64() > 0, "the demo population has invalid device tokens");
        foreach (var channel in new[] { "apns", "fcm", "sms", "email" })
        {
            Assert.True(s.GetProperty("by_channel").GetProperty(channel).TryGetProperty("delivered", out _), $"{channel} delivered nothing: {s}");
        }

        Assert.True(s.GetProperty("latency_ms").GetProperty("p99").GetDouble() > 0);
        Assert.True(s.GetProperty("max_lag").TryGetProperty("streaming-processor", out _));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task up_with_twenty_percent_transient_provider_errors_still_loses_nothing()
    {
        var (exit, s) = await RunUp("--provider-faults", "error=0.2");

        Assert.Equal(0, exit);
        Assert.Equal(0, s.GetProperty("lost").GetInt64());
        Assert.Equal(0, s.GetProperty("duplicates_at_provider").GetInt64());
        Assert.True(s.GetProperty("outcomes").GetProperty("delivered").GetInt64() > 200, s.ToString());
        // The faults really happened and were retried: a run that ignored the option would show neither.
        var injected = s.GetProperty("provider").GetProperty("transient_faults_injected").GetInt64();
        var retries = s.GetProperty("retries");
        Assert.True(injected > 20, $"only {injected} faults injected: {s}");
        Assert.True(retries.GetProperty("in_place").GetInt64() + retries.GetProperty("via_retry_topics").GetInt64() >= injected, s.ToString());
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task up_stops_in_order_on_a_termination_signal()
    {
        // As its own process, the way a newcomer runs it: the embedded web hosts claim SIGINT and SIGTERM for themselves,
        // and before StopSignals the command never saw either, so Ctrl+C left the stack running. SIGTERM here: a test
        // runner started in the background may pass SIGINT on as ignored.
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "POSIX signals");
        var ct = TestContext.Current.CancellationToken;
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "streaming.dll"), "up", "--plain", "--api-port", "0", "--metrics-port", "0", "--users", "20", "--rate", "20" })
        {
            start.ArgumentList.Add(arg);
        }

        using var up = System.Diagnostics.Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        up.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        up.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        up.BeginOutputReadLine();
        up.BeginErrorReadLine();
        try
        {
            // Running: the plain view prints its first line once the stack is up and traffic flows.
            await Eventually.TrueAsync(() => up.HasExited || output.Any(l => l.StartsWith("[00:", StringComparison.Ordinal)), TimeSpan.FromSeconds(120), "the stack running");
            Assert.False(up.HasExited, string.Join(Environment.NewLine, output));

            using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", up.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(ct);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(60));
            await up.WaitForExitAsync(deadline.Token);
            Assert.Equal(0, up.ExitCode);
            // The summary line of an orderly stop; what a signal leaves without an outcome is in flight, not lost.
            var summary = Assert.Single(output, l => l.StartsWith("requested ", StringComparison.Ordinal));
            Assert.Contains(", in flight at stop ", summary);
            Assert.DoesNotContain("lost", summary);

            // Addresses are printed whole even without a terminal (no wrapping at 80 columns), and as JSON for tools.
            var keyLine = Assert.Single(output, l => l.Contains("Demo API key (X-Api-Key)", StringComparison.Ordinal));
            var key = System.Text.RegularExpressions.Regex.Match(keyLine, @"\s(demo-[0-9a-f]{32})$").Groups[1].Value;
            Assert.NotEmpty(key);
            var jsonPath = Assert.Single(output, l => l.Contains("Addresses as JSON", StringComparison.Ordinal)).Split("  ", StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
            using var addresses = JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath, ct));
            Assert.Equal(key, addresses.RootElement.GetProperty("demoApiKey").GetString());
            Assert.StartsWith("http://127.0.0.1:", addresses.RootElement.GetProperty("api").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            if (!up.HasExited)
            {
                up.Kill(entireProcessTree: true);
            }
        }
    }
}
