using System.Reflection;
using Microsoft.Extensions.Logging;
using Streaming.Cql.Protocol;

namespace Streaming.Cql.Connections;

/// <summary>
/// Brings a fresh connection to ready (sections 4.1.1-4.1.3, 4.2.3, 4.2.7-4.2.8): OPTIONS, STARTUP with
/// CQL_VERSION 3.0.0, then READY or an AUTHENTICATE answered by SASL rounds until AUTH_SUCCESS, then USE.
/// </summary>
internal static class ConnectionHandshake
{
    private const int MaxAuthRounds = 32;

    private static readonly IReadOnlyDictionary<string, string> StartupOptions = new Dictionary<string, string>
    {
        [StartupRequest.CqlVersionKey] = "3.0.0",
        ["DRIVER_NAME"] = "Streaming.Cql",
        ["DRIVER_VERSION"] = typeof(ConnectionHandshake).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
    };

    public static async Task RunAsync(CqlConnection connection, IAuthProvider? auth, string? keyspace, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        Expect<SupportedResponse>(await connection.SendAsync(new OptionsRequest(), timeout, cancellationToken).ConfigureAwait(false), connection, "OPTIONS");
        var startup = await connection.SendAsync(new StartupRequest(StartupOptions), timeout, cancellationToken).ConfigureAwait(false);
        if (startup.Message is AuthenticateResponse authenticate)
        {
            ConnectionLog.Authenticating(logger, connection.Host, authenticate.Authenticator);
            await AuthenticateAsync(connection, auth, authenticate.Authenticator, timeout, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Expect<ReadyResponse>(startup, connection, "STARTUP");
        }

        if (keyspace is not null)
        {
            await UseAsync(connection, keyspace, timeout, cancellationToken).ConfigureAwait(false);
        }

        ConnectionLog.Opened(logger, connection.Host, keyspace);
    }

    /// <summary>Switches the connection's keyspace with USE.</summary>
    public static async Task UseAsync(CqlConnection connection, string keyspace, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var use = new QueryRequest($"USE {keyspace}", new QueryParameters { Consistency = CqlConsistency.One });
        Expect<SetKeyspaceResult>(await connection.SendAsync(use, timeout, cancellationToken).ConfigureAwait(false), connection, "USE");
        connection.Keyspace = keyspace;
    }

    private static async Task AuthenticateAsync(CqlConnection connection, IAuthProvider? auth, string authenticatorClass, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (auth is null)
        {
            throw new CqlAuthenticationException($"{connection.Host} requires authentication ({authenticatorClass}); set Username and Password or an AuthProvider.");
        }

        var authenticator = auth.NewAuthenticator(connection.Host, authenticatorClass);
        var token = authenticator.InitialResponse();
        for (var round = 0; round < MaxAuthRounds; round++)
        {
            // Typed explicitly: a null byte[] would otherwise convert to an empty token, which SASL tells apart from none.
            var response = new AuthResponseRequest(token is null ? null : new ReadOnlyMemory<byte>(token));
            var answer = await connection.SendAsync(response, timeout, cancellationToken).ConfigureAwait(false);
            switch (answer.Message)
            {
                case AuthSuccessResponse:
                    return;
                case AuthChallengeResponse challenge:
                    token = authenticator.EvaluateChallenge(challenge.Token?.ToArray());
                    break;
                default:
                    Expect<AuthSuccessResponse>(answer, connection, "AUTH_RESPONSE");
                    break;
            }
        }

        throw new CqlAuthenticationException($"{connection.Host} sent {MaxAuthRounds} SASL challenges without AUTH_SUCCESS.");
    }

    private static T Expect<T>(ResponseFrame answer, CqlConnection connection, string request) where T : CqlMessage => answer.Message switch
    {
        T expected => expected,
        ErrorResponse error => throw CqlServerException.From(error, connection.Host),
        var other => throw new CqlProtocolException($"{connection.Host} answered {request} with {other.Opcode}, expected {typeof(T).Name}."),
    };
}
