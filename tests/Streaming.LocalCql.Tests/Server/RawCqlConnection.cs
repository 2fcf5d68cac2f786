using System.Net;
using System.Net.Sockets;

namespace Streaming.LocalCql.Tests.Server;

/// <summary>
/// A bare native protocol v4 connection for tests that look at frames themselves (stream ids, events, handshake
/// order), built from the codec our client uses.
/// </summary>
internal sealed class RawCqlConnection : IAsyncDisposable
{
    private readonly TcpClient client;
    private readonly NetworkStream stream;
    private readonly FrameReader reader;

    private RawCqlConnection(TcpClient client)
    {
        this.client = client;
        stream = client.GetStream();
        reader = new FrameReader(stream, readsResponses: true);
    }

    public static async Task<RawCqlConnection> OpenAsync(IPEndPoint endpoint)
    {
        var client = new TcpClient();
        await client.ConnectAsync(endpoint, ServerRig.Ct);
        return new RawCqlConnection(client);
    }

    /// <summary>Opens a connection and brings it to READY.</summary>
    public static async Task<RawCqlConnection> ReadyAsync(IPEndPoint endpoint)
    {
        var connection = await OpenAsync(endpoint);
        Assert.IsType<ReadyResponse>(await connection.RequestAsync(1, Startup()));
        return connection;
    }

    public static StartupRequest Startup() => new(new Dictionary<string, string> { [StartupRequest.CqlVersionKey] = "3.0.0" });

    public static QueryRequest Query(string cql) => new(cql, new QueryParameters { Consistency = CqlConsistency.One });

    public Task SendAsync(short streamId, CqlMessage message) => SendRawAsync(FrameCodec.EncodeRequest(streamId, message));

    public async Task SendRawAsync(byte[] bytes) => await stream.WriteAsync(bytes, ServerRig.Ct);

    /// <summary>The next frame, or null once the server closed the connection.</summary>
    public async Task<ResponseFrame?> ReadAsync() =>
        await reader.ReadAsync(ServerRig.Ct) is { } raw ? FrameCodec.DecodeResponse(raw) : null;

    /// <summary>Sends <paramref name="message"/> and returns the answer, which must come on the same stream.</summary>
    public async Task<CqlMessage> RequestAsync(short streamId, CqlMessage message)
    {
        await SendAsync(streamId, message);
        var answer = await ReadAsync() ?? throw new InvalidOperationException($"The server closed the connection instead of answering {message.Opcode}.");
        Assert.Equal(streamId, answer.Stream);
        return answer.Message;
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
