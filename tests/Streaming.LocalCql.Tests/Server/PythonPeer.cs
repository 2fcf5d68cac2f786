using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Streaming.LocalCql.Tests.Server;

/// <summary>
/// Runs peer/cross_check.py with Debian's /usr/bin/python3 and the DataStax Python driver (python3-cassandra) as a child
/// process: one JSON command on stdin, one JSON answer on stdout. A missing interpreter or driver fails the test with
/// what to install; CI installs the driver in .ci/run.
/// </summary>
internal static class PythonPeer
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(45);

    public static async Task<JsonObject> RunAsync(JsonObject command)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: the peer cross-check needs Debian's python3 with python3-cassandra (apt-get install python3-cassandra).");
        var script = RepoPaths.Of("tests", "Streaming.LocalCql.Tests", "peer", "cross_check.py");
        var (exitCode, stdout, stderr) = await RunProcessAsync([script], command.ToJsonString());
        TestContext.Current.TestOutputHelper?.WriteLine("cross_check.py stderr:\n" + stderr);
        if (stderr.Contains("No module named 'cassandra'", StringComparison.Ordinal))
        {
            Assert.Fail($"The DataStax Python driver is missing for {Python}: apt-get install python3-cassandra (.ci/run does this before the tests).");
        }

        Assert.True(exitCode == 0, $"cross_check.py exited with {exitCode}:\n{stderr}");
        return JsonNode.Parse(stdout)?.AsObject() ?? throw new InvalidOperationException("cross_check.py printed no JSON: " + stdout);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(IReadOnlyList<string> arguments, string stdin)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + Python);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"cross_check.py did not finish within {RunTimeout}:\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A row as the script takes and prints it (see the docstring of cross_check.py).</summary>
    public static JsonObject ToJson(TypeCheckRow row) => new()
    {
        ["id"] = row.Id,
        ["seq"] = row.Seq,
        ["big"] = row.Big,
        ["at_ms"] = row.At.ToUnixTimeMilliseconds(),
        ["u"] = row.U.ToString(),
        ["tu"] = row.Tu.ToString(),
        ["flag"] = row.Flag,
        ["attrs"] = row.Attrs is null ? null : new JsonObject(row.Attrs.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
        ["note"] = row.Note,
    };

    public static TypeCheckRow FromJson(JsonNode row) => new(
        row["id"]!.GetValue<string>(),
        row["seq"]!.GetValue<int>(),
        row["big"]!.GetValue<long>(),
        DateTimeOffset.FromUnixTimeMilliseconds(row["at_ms"]!.GetValue<long>()),
        Guid.Parse(row["u"]!.GetValue<string>()),
        Guid.Parse(row["tu"]!.GetValue<string>()),
        row["flag"]!.GetValue<bool>(),
        row["attrs"]?.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>()),
        row["note"]?.GetValue<string>());

    public static JsonArray Array(IEnumerable<JsonNode?> items) => new([.. items]);

    public static T[] Values<T>(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<T>())];

    /// <summary>Serializes the answer for assertion messages.</summary>
    public static string Show(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
