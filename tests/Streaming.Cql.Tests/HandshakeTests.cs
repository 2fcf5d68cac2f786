using System.Net;
using System.Net.Sockets;
using Streaming.Cql.Protocol;
using Streaming.Cql.Tests.Support;

namespace Streaming.Cql.Tests;

public class HandshakeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 30_000)]
    public async Task startup_asks_for_cql_3_after_options()
    {
        await using var server = new ScriptedCqlServer();
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(server), TestLoggerFactory.Instance, Ct);

        var handshake = server.Received.Select(r => r.Message).ToList();
        Assert.IsType<OptionsRequest>(handshake[0]);
        Assert.Equal("3.0.0", Assert.IsType<StartupRequest>(handshake[1]).Options["CQL_VERSION"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task password_authentication_sends_sasl_plain_nul_user_nul_password()
    {
        await using var server = new ScriptedCqlServer { Authenticator = AuthenticateResponse.PasswordAuthenticator };
        var tokens = new List<byte[]?>();
        server.AuthHandler = (token, _) =>
        {
            tokens.Add(token);
            return new AuthSuccessResponse(null);
        };
        var options = TestOptions.For(server);
        options.Username = "cassandra";
        options.Password = "pä55";

        await using var session = await CqlSession.ConnectAsync(options, TestLoggerFactory.Instance, Ct);

        Hex.Equal("00 " + Hex.Utf8("cassandra") + " 00 " + Hex.Utf8("pä55"), Assert.Single(tokens));
        Assert.True(session.Hosts[0].IsUp);
    }

    [Fact(Timeout = 30_000)]
    public async Task challenges_are_answered_until_auth_success()
    {
        await using var server = new ScriptedCqlServer
        {
            Authenticator = "com.example.ChallengingAuthenticator",
            AuthHandler = (_, round) => round < 2 ? new AuthChallengeResponse(new byte[] { (byte)round }) : new AuthSuccessResponse(null),
        };
        var options = TestOptions.For(server);
        options.Username = "u";
        options.Password = "p";

        await using var session = await CqlSession.ConnectAsync(options, TestLoggerFactory.Instance, Ct);

        Assert.Equal(3, server.ReceivedOf<AuthResponseRequest>().Count());
    }

    [Fact(Timeout = 30_000)]
    public async Task rejected_credentials_surface_the_servers_authentication_error()
    {
        await using var server = new ScriptedCqlServer
        {
            Authenticator = AuthenticateResponse.PasswordAuthenticator,
            AuthHandler = (_, _) => new ErrorResponse(CqlErrorCode.AuthenticationError, "Provided username u and/or password are incorrect"),
        };
        var options = TestOptions.For(server);
        options.Username = "u";
        options.Password = "wrong";

        var error = await Assert.ThrowsAsync<NoHostAvailableException>(() => CqlSession.ConnectAsync(options, TestLoggerFactory.Instance, Ct));

        var cause = Assert.IsType<CqlServerException>(error.Errors[server.Endpoint]);
        Assert.Equal(CqlErrorCode.AuthenticationError, cause.Code);
        Assert.Contains("incorrect", cause.ServerMessage, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task a_server_asking_for_authentication_without_credentials_configured_is_reported()
    {
        await using var server = new ScriptedCqlServer { Authenticator = AuthenticateResponse.PasswordAuthenticator };

        var error = await Assert.ThrowsAsync<NoHostAvailableException>(() => CqlSession.ConnectAsync(TestOptions.For(server), TestLoggerFactory.Instance, Ct));

        Assert.Contains("Username", Assert.IsType<CqlAuthenticationException>(error.Errors[server.Endpoint]).Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task a_server_answering_in_another_protocol_version_is_reported_by_version()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var v3Server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(Ct);
            var header = new byte[9];
            await socket.ReceiveAsync(header, Ct);
            // A v3-only node answers OPTIONS in v3 (0x83) on the same stream.
            await socket.SendAsync(new byte[] { 0x83, 0, header[2], header[3], (byte)CqlOpcode.Supported, 0, 0, 0, 2, 0, 0 }, Ct);
            await socket.ReceiveAsync(new byte[1], Ct);
        }, Ct);
        var options = new CqlClientOptions { ContactPoints = [$"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"], ConnectionsPerHost = 1 };

        var error = await Assert.ThrowsAsync<NoHostAvailableException>(() => CqlSession.ConnectAsync(options, TestLoggerFactory.Instance, Ct));

        var closed = Assert.IsType<CqlConnectionClosedException>(error.Errors.Values.Single());
        Assert.Equal(3, Assert.IsType<CqlProtocolVersionException>(closed.InnerException).Version);
        Assert.Contains("native protocol v3", error.Message, StringComparison.Ordinal);
        await v3Server;
    }

    [Fact(Timeout = 30_000)]
    public async Task every_connection_uses_the_keyspace_and_a_use_through_the_session_moves_them_all()
    {
        await using var server = new ScriptedCqlServer();
        var options = TestOptions.For(server);
        options.ConnectionsPerHost = 2;
        options.Keyspace = "streaming";
        await using var session = await CqlSession.ConnectAsync(options, TestLoggerFactory.Instance, Ct);
        Assert.Equal(2, server.ReceivedOf<QueryRequest>().Count(r => r.Query == "USE streaming"));

        await session.ExecuteAsync("USE \"Other\"", Ct);
        var held = new System.Collections.Concurrent.ConcurrentQueue<ServerRequest>();
        server.Handler = r =>
        {
            held.Enqueue(r);
            return Task.CompletedTask;
        };
        var selects = Enumerable.Range(0, 8).Select(_ => session.ExecuteAsync("SELECT", Ct)).ToList();
        await Eventually.TrueAsync(() => held.Count == 8, "eight SELECTs in flight over both connections");
        foreach (var select in held)
        {
            await select.ReplyAsync(new VoidResult());
        }

        await Task.WhenAll(selects);
        Assert.Equal("\"Other\"", session.Keyspace);
        Assert.Equal(2, held.Select(r => r.Connection.Id).Distinct().Count());
        Assert.All(held, select => Assert.Contains(server.Received, r => r.Connection == select.Connection && r.Query == "USE \"Other\"" && select.Received(after: r)));
    }
}
