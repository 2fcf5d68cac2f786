using System.Runtime.InteropServices;

namespace Streaming.Cli;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM into a cancelled <see cref="Token"/> for a long-running command, and keeps them
/// from killing the process so the command can shut down in order. The local stack needs its own: each embedded web
/// host (API, registry, provider fakes) installs a console lifetime that claims both signals to stop just that host,
/// so the command line's own handling never ran and Ctrl+C left <c>streaming up</c> running.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource cts;
    private readonly PosixSignalRegistration[] registrations;

    public StopSignals(CancellationToken outer)
    {
        cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(s => PosixSignalRegistration.Create(s, context =>
        {
            context.Cancel = true;
            cts.Cancel();
        }))];
    }

    public CancellationToken Token => cts.Token;

    public void Dispose()
    {
        foreach (var r in registrations)
        {
            r.Dispose();
        }

        cts.Dispose();
    }
}
