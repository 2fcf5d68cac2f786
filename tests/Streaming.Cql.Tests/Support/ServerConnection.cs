using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Streaming.Cql.Protocol;

namespace Streaming.Cql.Tests.Support;

/// <summary>One client connection accepted by <see cref="ScriptedCqlServer"/>; replies may come from any task.</summary>
internal sealed class ServerConnection(int id, Socket socket) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private Stream _stream = new NetworkStream(socket, ownsSocket: true);

    public int Id { get; } = id;

    public Stream Stream => _stream;

    /// <summary>Switches the connection to TLS with <paramref name="certificate"/> before any frame is read.</summary>
    public async Task UseTlsAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        _stream = tls;
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken);
    }

    public async Task SendAsync(short stream, CqlMessage message) => await SendRawAsync(FrameCodec.EncodeResponse(stream, message));

    public async Task SendRawAsync(byte[] frame)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _stream.WriteAsync(frame);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The client went away; the script does not care.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>A request as the scripted server received it, with ways to answer it (now or later).</summary>
internal sealed record ServerRequest(ServerConnection Connection, RequestFrame Frame)
{
    private static long _sequence;

    /// <summary>Arrival order across every scripted server of the test process.</summary>
    public long Sequence { get; } = Interlocked.Increment(ref _sequence);

    public bool Received(ServerRequest after) => Sequence > after.Sequence;

    public CqlMessage Message => Frame.Message;

    public short Stream => Frame.Stream;

    /// <summary>The CQL text of a QUERY or PREPARE.</summary>
    public string? Query => Message switch
    {
        QueryRequest query => query.Query,
        PrepareRequest prepare => prepare.Query,
        _ => null,
    };

    /// <summary>The query parameters of a QUERY or EXECUTE.</summary>
    public QueryParameters? Parameters => Message switch
    {
        QueryRequest query => query.Parameters,
        ExecuteRequest execute => execute.Parameters,
        _ => null,
    };

    public Task ReplyAsync(CqlMessage message) => Connection.SendAsync(Stream, message);

    public Task FailAsync(CqlErrorCode code, string message, ErrorDetails? details = null) => ReplyAsync(new ErrorResponse(code, message, details));
}
