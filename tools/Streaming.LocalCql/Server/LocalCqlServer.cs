using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Cql.Protocol;

namespace Streaming.LocalCql.Server;

/// <summary>
/// A local CQL node on a real TCP port: native protocol v4 in front of a <see cref="CqlEngine"/>. Drivers connect to
/// <see cref="Address"/> as to Cassandra; cells hold the bytes clients bound. For tests a node can go down
/// (<see cref="StopAsync"/>), come back on the same port (<see cref="RestartAsync"/>) and drop its connections
/// (<see cref="DropConnections"/>). Several nodes sharing data form a <see cref="LocalCqlCluster"/>.
/// </summary>
public sealed class LocalCqlServer : IAsyncDisposable
{
    private readonly LocalCqlServerOptions options;
    private readonly ILogger logger;
    private readonly StatementResponder statements;
    private readonly ConcurrentDictionary<ServerConnection, bool> connections = new();
    private readonly SemaphoreSlim lifecycle = new(1, 1);
    private TcpListener? listener;
    private CancellationTokenSource? stopping;
    private Task accepting = Task.CompletedTask;
    private bool disposed;

    internal LocalCqlServer(TcpListener listener, CqlEngine engine, LocalCqlServerOptions options, ILogger? logger)
    {
        this.options = options;
        this.logger = logger ?? NullLogger.Instance;
        Engine = engine;
        Endpoint = (IPEndPoint)listener.LocalEndpoint;
        statements = new StatementResponder(engine, Address, this.logger);
        if (!engine.Options.Endpoint.Equals(Endpoint))
        {
            ServerLog.EndpointMismatch(this.logger, Address, engine.Options.Endpoint.ToString(), Address);
        }

        engine.SchemaChanged += OnSchemaChanged;
        Listen(listener);
    }

    /// <summary>The address and port the node listens on.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary><see cref="Endpoint"/> as "host:port", the form contact points take.</summary>
    public string Address => $"{Endpoint.Address}:{Endpoint.Port}";

    /// <summary>The engine node behind the port: schema scripts, <see cref="CqlEngine.TestControl"/>.</summary>
    public CqlEngine Engine { get; }

    /// <summary>Whether the node accepts connections (false between <see cref="StopAsync"/> and <see cref="RestartAsync"/>).</summary>
    public bool IsRunning => listener is not null;

    /// <summary>How many client connections are open.</summary>
    public int ConnectionCount => connections.Count;

    /// <summary>
    /// Starts a node on <paramref name="port"/> of 127.0.0.1 (0: a free port). Without <paramref name="engine"/> the node
    /// gets a fresh single-node engine that advertises the bound address in system.local.
    /// </summary>
    public static Task<LocalCqlServer> StartAsync(int port = 0, CqlEngine? engine = null, ILogger? logger = null) =>
        StartAsync(new LocalCqlServerOptions { Port = port }, engine, logger);

    /// <summary>Starts a node as <paramref name="options"/> say (address, port, credentials, TLS, clock).</summary>
    public static Task<LocalCqlServer> StartAsync(LocalCqlServerOptions options, CqlEngine? engine = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bound = ListenerBinding.Bind(options.Address, options.Port);
        engine ??= new CqlEngine(new CqlEngineOptions { Endpoint = (IPEndPoint)bound.LocalEndpoint }, options.Time);
        return Task.FromResult(new LocalCqlServer(bound, engine, options, logger));
    }

    /// <summary>
    /// Takes the node down: the port refuses connections and open connections drop without answers to their pending
    /// requests. Data and schema stay in the engine.
    /// </summary>
    public async Task StopAsync()
    {
        await lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopListeningAsync().ConfigureAwait(false);
        }
        finally
        {
            lifecycle.Release();
        }
    }

    /// <summary>
    /// Brings the node back on the same port (stopping it first if it runs), like a restarted process: same data and
    /// host id, but its prepared statements are forgotten, so clients are answered Unprepared and prepare again.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            await StopListeningAsync().ConfigureAwait(false);
            Engine.ForgetPreparedStatements();
            Listen(await ListenerBinding.RebindAsync(Endpoint, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            lifecycle.Release();
        }
    }

    /// <summary>Closes every open connection (as a network blip would) but keeps accepting new ones.</summary>
    public void DropConnections()
    {
        foreach (var connection in connections.Keys)
        {
            connection.Close();
        }
    }

    /// <summary>Stops the node for good and detaches it from the engine's schema events.</summary>
    public async ValueTask DisposeAsync()
    {
        await lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            Engine.SchemaChanged -= OnSchemaChanged;
            await StopListeningAsync().ConfigureAwait(false);
        }
        finally
        {
            lifecycle.Release();
        }
    }

    private void Listen(TcpListener bound)
    {
        listener = bound;
        stopping = new CancellationTokenSource();
        accepting = AcceptAsync(bound, stopping.Token);
        ServerLog.Listening(logger, Address);
    }

    private async Task StopListeningAsync()
    {
        if (listener is not { } running)
        {
            return;
        }

        listener = null;
        await stopping!.CancelAsync().ConfigureAwait(false);
        running.Stop();
        await accepting.ConfigureAwait(false);
        stopping.Dispose();
        var open = connections.Keys.ToList();
        foreach (var connection in open)
        {
            connection.Close();
        }

        await Task.WhenAll(open.Select(c => c.Completion)).ConfigureAwait(false);
        foreach (var connection in open)
        {
            // Here as well as in the accept loop's continuation, which may run later: a stopped node has no connections.
            connections.TryRemove(connection, out _);
        }

        ServerLog.Stopped(logger, Address);
    }

    private async Task AcceptAsync(TcpListener bound, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await bound.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception stopped) when (stopped is OperationCanceledException or ObjectDisposedException
                || (stopped is SocketException && cancellationToken.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException failed)
            {
                ServerLog.AcceptFailed(logger, Address, failed.Message);
                continue;
            }

            socket.NoDelay = true;
            var connection = new ServerConnection(socket, options, statements, Address, logger);
            connections[connection] = true;
            connection.Start();
            _ = connection.Completion.ContinueWith(_ => connections.TryRemove(connection, out var _), TaskScheduler.Default);
        }
    }

    /// <summary>Pushes SCHEMA_CHANGE to the connections that registered for it, as every Cassandra node does.</summary>
    private void OnSchemaChanged(SchemaChange change)
    {
        var frame = FrameCodec.EncodeResponse(-1, new EventResponse(new SchemaChangeEvent(change)));
        foreach (var connection in connections.Keys)
        {
            connection.Push(CqlEventType.SchemaChange, frame);
        }
    }
}
