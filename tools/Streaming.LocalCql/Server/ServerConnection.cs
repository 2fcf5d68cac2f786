using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Streaming.Cql;
using Streaming.Cql.Protocol;

namespace Streaming.LocalCql.Server;

/// <summary>
/// One client connection: reads frames, answers handshake messages in order on the read loop and runs each statement
/// on a task of its own (engine test delays block the thread that runs them), so requests overtake each other as on a
/// real node and every answer carries its request's stream id. Writes are serialized; events go out on stream -1.
/// </summary>
internal sealed class ServerConnection(Socket socket, LocalCqlServerOptions options, StatementResponder statements, string endpoint, ILogger logger)
{
    private static readonly TimeSpan TlsHandshakeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly HandshakeResponder handshake = new(options);
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly CancellationTokenSource closing = new();
    private readonly string client = socket.RemoteEndPoint?.ToString() ?? "?";
    private Stream? stream;

    /// <summary>The keyspace this connection chose with USE.</summary>
    public EngineSession Session { get; } = new();

    /// <summary>Completes when the read loop ended and the socket is closed; in-flight statements may still finish.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = RunAsync();

    /// <summary>Drops the connection as a crashed node would: no goodbye, pending requests get no answer.</summary>
    public void Close()
    {
        closing.Cancel();
        socket.Dispose();
    }

    /// <summary>Sends an EVENT frame (stream -1) if the connection REGISTERed for its type; never blocks the caller.</summary>
    public void Push(string eventType, byte[] frame)
    {
        if (handshake.IsRegisteredFor(eventType))
        {
            _ = WriteAsync(frame);
        }
    }

    private async Task RunAsync()
    {
        var reason = "closed by the client";
        try
        {
            ServerLog.ConnectionOpened(logger, endpoint, client);
            stream = await OpenStreamAsync().ConfigureAwait(false);
            var reader = new FrameReader(stream, readsResponses: false);
            while (await reader.ReadAsync(closing.Token).ConfigureAwait(false) is { } raw)
            {
                await HandleAsync(raw).ConfigureAwait(false);
            }
        }
        catch (CqlProtocolVersionException wrongVersion)
        {
            reason = $"protocol v{wrongVersion.Version}";
            ServerLog.VersionRejected(logger, endpoint, client, wrongVersion.Version);
            await WriteAsync(FrameCodec.EncodeResponse(wrongVersion.Stream, wrongVersion.ToErrorResponse())).ConfigureAwait(false);
            await DrainAsync().ConfigureAwait(false);
        }
        catch (CqlProtocolException broken)
        {
            // A header the stream cannot be resynchronized after (wrong direction, body length out of range).
            reason = broken.Message;
            ServerLog.ProtocolError(logger, endpoint, client, broken.Message);
            await WriteAsync(FrameCodec.EncodeResponse(0, new ErrorResponse(CqlErrorCode.ProtocolError, broken.Message))).ConfigureAwait(false);
        }
        catch (Exception gone) when (gone is IOException or SocketException or ObjectDisposedException or OperationCanceledException or AuthenticationException)
        {
            reason = closing.IsCancellationRequested ? "closed by the server" : gone.Message;
        }
        finally
        {
            Close();
            ServerLog.ConnectionClosed(logger, endpoint, client, reason);
        }
    }

    private async Task HandleAsync(RawFrame raw)
    {
        RequestFrame request;
        try
        {
            request = FrameCodec.DecodeRequest(raw);
        }
        catch (Exception malformed) when (malformed is not OutOfMemoryException)
        {
            // The whole body was read, so the next frame starts cleanly: answer this one and carry on.
            ServerLog.ProtocolError(logger, endpoint, client, malformed.Message);
            await WriteAsync(FrameCodec.EncodeResponse(raw.Header.Stream, new ErrorResponse(CqlErrorCode.ProtocolError, malformed.Message))).ConfigureAwait(false);
            return;
        }

        var message = request.Message;
        if (HandshakeResponder.Handles(message))
        {
            var answer = handshake.Answer(message);
            if (answer is ErrorResponse { Code: CqlErrorCode.AuthenticationError })
            {
                ServerLog.AuthenticationRefused(logger, endpoint, client, handshake.RefusedUsername);
            }

            await WriteAsync(FrameCodec.EncodeResponse(request.Stream, answer)).ConfigureAwait(false);
        }
        else if (!handshake.IsReady)
        {
            await WriteAsync(FrameCodec.EncodeResponse(request.Stream, handshake.NotReady(message))).ConfigureAwait(false);
        }
        else
        {
            _ = Task.Run(() => ExecuteAsync(request));
        }
    }

    private async Task ExecuteAsync(RequestFrame request)
    {
        var answer = statements.Answer(request.Message, Session);
        await WriteAsync(statements.Encode(request.Stream, request.Message, answer)).ConfigureAwait(false);
    }

    private async Task<Stream> OpenStreamAsync()
    {
        var network = new NetworkStream(socket, ownsSocket: true);
        if (options.Certificate is null)
        {
            return network;
        }

        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(closing.Token);
        deadline.CancelAfter(TlsHandshakeTimeout);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = options.Certificate }, deadline.Token).ConfigureAwait(false);
        return tls;
    }

    /// <summary>
    /// Writes one whole frame. A connection that is gone swallows the write: the request's client is gone with it.
    /// </summary>
    private async Task WriteAsync(byte[] frame)
    {
        if (stream is not { } output)
        {
            return;
        }

        try
        {
            await writeGate.WaitAsync(closing.Token).ConfigureAwait(false);
            try
            {
                await output.WriteAsync(frame, closing.Token).ConfigureAwait(false);
            }
            finally
            {
                writeGate.Release();
            }
        }
        catch (Exception gone) when (gone is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Close();
        }
    }

    /// <summary>
    /// After the version error: half-close, then read until the client hangs up. Closing with the rest of the rejected
    /// frame unread would make the kernel send a reset, which can overtake the error the client needs to downgrade.
    /// </summary>
    private async Task DrainAsync()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(closing.Token);
            deadline.CancelAfter(DrainTimeout);
            var buffer = new byte[4096];
            while (await stream!.ReadAsync(buffer, deadline.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception gone) when (gone is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client hung up first or never did: either way the connection ends here.
        }
    }
}
