using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Xunit;
using Xunit.v3;

namespace Streaming.Testing;

/// <summary>Limits every test assembly of this repository runs under.</summary>
public static class TestLimits
{
    /// <summary>
    /// Per-test timeout (<c>[Fact(Timeout = TestLimits.TimeoutMs)]</c>): a test that hangs fails by name instead of holding
    /// the run until CI gives up. The slowest test here takes ~30 s on two loaded cores.
    /// </summary>
    public const int TimeoutMs = 240_000;

    /// <summary>When <see cref="HangWatch"/> captures the stacks of a test still running: before its timeout abandons it.</summary>
    public static readonly TimeSpan ReportAfter = TimeSpan.FromSeconds(150);

    /// <summary>
    /// How long a test process may live at all. Past it, a hang outside any test (fixture set-up or clean-up, process
    /// exit) is reported on standard error and the process exits with <see cref="HangExitCode"/>; the runner then
    /// reports the assembly as crashed with that code, and the assemblies after it still run.
    /// </summary>
    public static readonly TimeSpan ProcessLimit = TimeSpan.FromMinutes(20);

    public const int HangExitCode = 124;
}

/// <summary>
/// Put on a test assembly (<c>[assembly: HangWatch]</c>) to record which tests are running, so <see cref="HangWatch"/>
/// can name them when one hangs.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class HangWatchAttribute : BeforeAfterTestAttribute
{
    public override void Before(MethodInfo methodUnderTest, IXunitTest test) => HangWatch.Started(test.UniqueID, test.TestDisplayName, TestContext.Current.TestOutputHelper);

    public override void After(MethodInfo methodUnderTest, IXunitTest test) => HangWatch.Finished(test.UniqueID);
}

/// <summary>
/// Watches a test process for hangs. A test still running after <see cref="TestLimits.ReportAfter"/> gets a report:
/// its name, how long it ran, and every thread's native stack (from gdb, when the machine has it: the hangs worth
/// catching are inside librdkafka, where managed stacks end). Reports go to standard error and to a file under the
/// temp directory, and into the hung test's own output, which a runner such as <c>dotnet test</c> prints with the
/// failure when the test's timeout (<see cref="TestLimits.TimeoutMs"/>) fails it.
/// </summary>
/// <remarks>
/// Why: a test assembly that stops reporting and never exits holds a CI run until its time limit, with nothing in the
/// output to say which test or which call.
/// </remarks>
public static partial class HangWatch
{
    private static readonly ConcurrentDictionary<string, (string Name, Stopwatch Clock, ITestOutputHelper? Output)> Running = new();
    private static readonly HashSet<string> Reported = [];
    private static readonly Stopwatch ProcessClock = Stopwatch.StartNew();
    private static readonly Lock Gate = new();
    private static Timer? timer;
    private static int reports;

    /// <summary>Starts the watch (idempotent); the assembly fixture calls it.</summary>
    public static void Start()
    {
        lock (Gate)
        {
            timer ??= new Timer(_ => Check(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        }
    }

    internal static void Started(string id, string name, ITestOutputHelper? output)
    {
        Start();
        Running[id] = (name, Stopwatch.StartNew(), output);
    }

    internal static void Finished(string id) => Running.TryRemove(id, out _);

    private static void Check()
    {
        try
        {
            foreach (var (id, (name, clock, output)) in Running)
            {
                bool first;
                lock (Gate)
                {
                    first = clock.Elapsed > TestLimits.ReportAfter && Reported.Add(id);
                }

                if (first)
                {
                    var report = Report($"Test still running after {clock.Elapsed.TotalSeconds:F0} s: {name}");
                    try
                    {
                        // The test's own output: a runner prints it with the test's failure when the timeout fails it.
                        output?.WriteLine(report);
                    }
                    catch (InvalidOperationException)
                    {
                        // the test finished meanwhile
                    }
                }
            }

            if (ProcessClock.Elapsed > TestLimits.ProcessLimit)
            {
                var running = string.Join(", ", Running.Values.Select(r => r.Name));
                Report($"Test process still running after {ProcessClock.Elapsed.TotalMinutes:F0} min (running tests: {(running.Length > 0 ? running : "none")}); exiting with {TestLimits.HangExitCode}");
                // Exit runs the process-exit handlers, which a hang can block too: then fail fast.
                var exit = new Thread(() => Environment.Exit(TestLimits.HangExitCode)) { IsBackground = true };
                exit.Start();
                if (!exit.Join(TimeSpan.FromSeconds(30)))
                {
                    Environment.FailFast($"HangWatch: exit with {TestLimits.HangExitCode} did not finish within 30 s");
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"HangWatch: {e}");
        }
    }

    private static string Report(string headline)
    {
        var file = Path.Combine(Path.GetTempPath(), "streaming-test-hangs", $"{Assembly.GetEntryAssembly()?.GetName().Name}-{Environment.ProcessId}-{Interlocked.Increment(ref reports)}.txt");
        var stacks = NativeStacks(out var why);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, headline + "\n\n" + (stacks ?? why));
        var report = new StringBuilder()
            .AppendLine(headline)
            .AppendLine($"Full report: {file}")
            .Append(stacks is null ? why : Condense(stacks))
            .ToString();
        Console.Error.WriteLine(report);
        return report;
    }

    /// <summary>Every thread's native stack from gdb attached to this process for a moment, or <c>null</c> with why not.</summary>
    public static string? NativeStacks(out string why)
    {
        // gdb writes to a file, not a pipe: it stops every thread of this process while it works, the one that would
        // drain a pipe included, and its output (100 KB and more) does not fit a pipe's buffer. The executable is
        // named too: without it gdb finds no shared libraries, so no frame has a name.
        var output = Path.Combine(Path.GetTempPath(), $"streaming-gdb-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        try
        {
            var psi = new ProcessStartInfo("/bin/sh",
            [
                "-c", "exec gdb \"$1\" -p \"$2\" -batch -nx -ex 'set pagination off' -ex 'thread apply all bt 25' >\"$3\" 2>&1",
                "sh", Environment.ProcessPath ?? "", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), output,
            ])
            {
                UseShellExecute = false,
            };
            using var gdb = Process.Start(psi)!;
            if (!gdb.WaitForExit(TimeSpan.FromSeconds(90)))
            {
                gdb.Kill(entireProcessTree: true);
                why = "gdb did not finish within 90 s";
                return null;
            }

            var text = File.Exists(output) ? File.ReadAllText(output) : "";
            if (gdb.ExitCode == 127 || !text.Contains("Thread ", StringComparison.Ordinal))
            {
                why = $"no native stacks: gdb could not run (exit {gdb.ExitCode}: {text.Trim()[..Math.Min(300, text.Trim().Length)]})";
                return null;
            }

            why = "";
            return text;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            why = $"no native stacks: gdb could not run ({e.Message})";
            return null;
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>
    /// Keeps the threads worth reading in a runner's output: the application's threads inside a librdkafka call (not
    /// librdkafka's own threads, named "rdk:…", which idle in their queues) and any thread joining another, with
    /// library paths cut to file names; the file keeps every thread as gdb printed it.
    /// </summary>
    public static string Condense(string stacks)
    {
        var threads = stacks.Split("\nThread ", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        var kept = threads
            .Where(t => t.Contains("rd_kafka", StringComparison.Ordinal) && !t[..t.IndexOf('\n', StringComparison.Ordinal)].Contains("\"rdk:", StringComparison.Ordinal)
                || t.Contains("pthread_join", StringComparison.Ordinal))
            .Select(t => "Thread " + string.Join('\n', t.Split('\n').Take(16).Select(ShortFrame)))
            .ToList();
        return $"{threads.Count} threads; {kept.Count} of the application's in a librdkafka call or a join:\n" + string.Join('\n', kept);
    }

    private static string ShortFrame(string frame) => LibraryPath().Replace(frame, " from $1");

    [System.Text.RegularExpressions.GeneratedRegex(@" from \S*/([^/\s]+)$")]
    private static partial System.Text.RegularExpressions.Regex LibraryPath();
}
