using Microsoft.Extensions.Logging;
using Streaming.LocalCql.Server;

namespace Streaming.LocalCql.Tests.Server;

/// <summary>
/// Starts local servers with the delivery log's schema (schemas/delivery_log.cql) plus <see cref="TypeCheckRow"/>'s
/// table, and connects our client to them with test-speed timeouts and reconnection.
/// </summary>
internal static class ServerRig
{
    public const string Keyspace = "streaming";

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Now at whole milliseconds, the precision of a CQL timestamp, so written and read values compare equal.</summary>
    public static DateTimeOffset Now { get; } = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public static ILogger Logger { get; } = new TestOutputLogger();

    /// <summary>A single node with the schema loaded.</summary>
    public static async Task<LocalCqlServer> StartAsync(LocalCqlServerOptions? options = null)
    {
        var server = await LocalCqlServer.StartAsync(options ?? new LocalCqlServerOptions(), logger: Logger);
        LoadSchema(server.Engine);
        return server;
    }

    /// <summary>A cluster of <paramref name="nodes"/> nodes sharing the schema.</summary>
    public static async Task<LocalCqlCluster> StartClusterAsync(int nodes)
    {
        var cluster = await LocalCqlCluster.StartAsync(nodes, logger: Logger);
        LoadSchema(cluster.Nodes[0].Engine);
        return cluster;
    }

    public static void LoadSchema(CqlEngine engine)
    {
        engine.ExecuteScript(File.ReadAllText(Path.Combine(RepoPaths.Schemas, "delivery_log.cql")));
        engine.ExecuteScript(TypeCheckRow.Table);
    }

    /// <summary>Client options for the given nodes: keyspace <see cref="Keyspace"/>, short timeouts, quick reconnection.</summary>
    public static CqlClientOptions ClientOptions(params string[] contactPoints) => new()
    {
        ContactPoints = contactPoints,
        Keyspace = Keyspace,
        DefaultConsistency = CqlConsistency.One,
        RequestTimeout = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
        ConnectionsPerHost = 1,
    };

    public static Task<CqlSession> ConnectAsync(params string[] contactPoints) => ConnectAsync(ClientOptions(contactPoints));

    public static Task<CqlSession> ConnectAsync(CqlClientOptions options) => CqlSession.ConnectAsync(options, cancellationToken: Ct);
}

/// <summary>Writes logs into the running test's output, shown when it fails.</summary>
internal sealed class TestOutputLogger : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
}
