using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Streaming.Cql.Protocol;

namespace Streaming.Cql.Tests.Support;

/// <summary>
/// A test double speaking native protocol v4 with the library's own codec: it answers the handshake (OPTIONS,
/// STARTUP, optional SASL, USE, system.local) itself and hands QUERY/PREPARE/EXECUTE/BATCH to <see cref="Handler"/>,
/// which may answer at once, later, out of order, or never. It records every request.
/// </summary>
internal sealed class ScriptedCqlServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, ServerConnection> _connections = new();
    private readonly ConcurrentDictionary<string, string> _prepared = new();
    private readonly Task _accepting;
    private int _nextConnection;
    private volatile bool _refuse;

    public ScriptedCqlServer(string datacenter = "dc1")
    {
        Datacenter = datacenter;
        Handler = DefaultAsync;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public string Datacenter { get; }

    /// <summary>When set, connections speak TLS with this certificate.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>When set, STARTUP is answered with AUTHENTICATE naming this class.</summary>
    public string? Authenticator { get; set; }

    /// <summary>Answers an AUTH_RESPONSE token in a given round (0-based); AUTH_SUCCESS by default.</summary>
    public Func<byte[]?, int, CqlMessage> AuthHandler { get; set; } = (_, _) => new AuthSuccessResponse(null);

    /// <summary>Handles QUERY (other than USE and system.local), PREPARE, EXECUTE and BATCH.</summary>
    public Func<ServerRequest, Task> Handler { get; set; }

    /// <summary>Every request received, handshake included, in arrival order.</summary>
    public ConcurrentQueue<ServerRequest> Received { get; } = new();

    /// <summary>Exceptions thrown by <see cref="Handler"/>; a test asserts this stays empty.</summary>
    public ConcurrentQueue<Exception> HandlerErrors { get; } = new();

    public int AcceptedConnections => Volatile.Read(ref _nextConnection);

    public int OpenConnections => _connections.Count;

    /// <summary>While true, requests are read and recorded but nothing is answered, as by a hung node.</summary>
    public bool Mute { get; set; }

    /// <summary>While true, new connections are closed as soon as they are accepted.</summary>
    public bool Refuse
    {
        get => _refuse;
        set => _refuse = value;
    }

    public IEnumerable<ServerRequest> ReceivedOf<T>() where T : CqlMessage => Received.Where(r => r.Message is T);

    /// <summary>The id this server gives a prepared query.</summary>
    public static byte[] PreparedIdOf(string query) => MD5.HashData(Encoding.UTF8.GetBytes(query));

    /// <summary>Forgets every prepared statement, as a restarted node does.</summary>
    public void ForgetPrepared() => _prepared.Clear();

    /// <summary>Closes every open client connection.</summary>
    public void DropConnections()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Dispose();
        }
    }

    /// <summary>
    /// The built-in behaviour: PREPARE answers Prepared (one text variable 'v' per '?'), EXECUTE of an unknown id answers
    /// UNPREPARED, everything else answers Void.
    /// </summary>
    public async Task DefaultAsync(ServerRequest request)
    {
        switch (request.Message)
        {
            case PrepareRequest prepare:
                var id = PreparedIdOf(prepare.Query);
                _prepared[Convert.ToHexString(id)] = prepare.Query;
                var variables = Enumerable.Range(0, prepare.Query.Count(c => c == '?')).Select(i => new ColumnSpec("ks", "t", $"v{i}", CqlType.Text)).ToList();
                await request.ReplyAsync(new PreparedResult(id, new PreparedMetadata(variables, []), RowsMetadata.Empty));
                break;
            case ExecuteRequest execute when !_prepared.ContainsKey(Convert.ToHexString(execute.Id.Span)):
                await request.FailAsync(CqlErrorCode.Unprepared, "unknown prepared id", new UnpreparedDetails(execute.Id));
                break;
            case BatchRequest batch when batch.Queries.FirstOrDefault(q => q.PreparedId is { } pid && !_prepared.ContainsKey(Convert.ToHexString(pid.Span))) is { } unknown:
                await request.FailAsync(CqlErrorCode.Unprepared, "unknown prepared id", new UnpreparedDetails(unknown.PreparedId!.Value));
                break;
            default:
                await request.ReplyAsync(new VoidResult());
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropConnections();
        await _accepting;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                var connection = new ServerConnection(Interlocked.Increment(ref _nextConnection), socket);
                if (_refuse)
                {
                    connection.Dispose();
                    continue;
                }

                _connections[connection.Id] = connection;
                _ = ServeAsync(connection);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(ServerConnection connection)
    {
        var authRound = 0;
        try
        {
            if (Certificate is { } certificate)
            {
                await connection.UseTlsAsync(certificate, _stop.Token);
            }

            var reader = new FrameReader(connection.Stream, readsResponses: false);
            while (await reader.ReadAsync(_stop.Token) is { } raw)
            {
                var request = new ServerRequest(connection, FrameCodec.DecodeRequest(raw));
                Received.Enqueue(request);
                if (Mute)
                {
                    continue;
                }

                switch (request.Message)
                {
                    case OptionsRequest:
                        await request.ReplyAsync(new SupportedResponse(new Dictionary<string, IReadOnlyList<string>> { ["CQL_VERSION"] = ["3.4.5"], ["COMPRESSION"] = [] }));
                        break;
                    case StartupRequest:
                        await request.ReplyAsync(Authenticator is { } authenticator ? new AuthenticateResponse(authenticator) : new ReadyResponse());
                        break;
                    case AuthResponseRequest auth:
                        await request.ReplyAsync(AuthHandler(auth.Token?.ToArray(), authRound++));
                        break;
                    case RegisterRequest:
                        await request.ReplyAsync(new ReadyResponse());
                        break;
                    case QueryRequest { Query: var q } when q.StartsWith("USE ", StringComparison.OrdinalIgnoreCase):
                        await request.ReplyAsync(new SetKeyspaceResult(q[4..].Trim().Trim('"')));
                        break;
                    case QueryRequest { Query: var q } when q.Contains("system.local", StringComparison.Ordinal):
                        var column = new ColumnSpec("system", "local", "data_center", CqlType.Text);
                        await request.ReplyAsync(new RowsResult(new RowsMetadata([column]), [[Encoding.UTF8.GetBytes(Datacenter)]]));
                        break;
                    default:
                        _ = RunHandlerAsync(request);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException or AuthenticationException)
        {
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            connection.Dispose();
        }
    }

    private async Task RunHandlerAsync(ServerRequest request)
    {
        try
        {
            await Handler(request);
        }
        catch (Exception e)
        {
            // Answer at once, so the test fails with the script's error instead of a client timeout.
            HandlerErrors.Enqueue(e);
            await request.FailAsync(CqlErrorCode.ServerError, $"test script failed: {e}");
        }
    }
}
