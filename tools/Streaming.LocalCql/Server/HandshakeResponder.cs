using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Streaming.Cql.Protocol;

namespace Streaming.LocalCql.Server;

/// <summary>
/// One connection's side of the handshake (native protocol v4, sections 4.1.1-4.1.3, 4.1.8, 4.2.2-4.2.4, 4.2.8):
/// OPTIONS answers SUPPORTED at any time; STARTUP answers READY, or AUTHENTICATE when the server has credentials, after
/// which one AUTH_RESPONSE with the right SASL PLAIN token answers AUTH_SUCCESS; REGISTER records the event types the
/// connection wants. Statements are allowed only once the connection is ready. Runs on the connection's read loop, one
/// message at a time, so its state needs no locking; the registrations are read by event senders on other threads.
/// </summary>
internal sealed class HandshakeResponder(LocalCqlServerOptions options)
{
    private const string CqlVersion = "3.4.5";

    /// <summary>
    /// What SUPPORTED lists. COMPRESSION must be present (the DataStax Python driver indexes it) and empty: frames are never
    /// compressed. PROTOCOL_VERSIONS is informational, as Cassandra sends it.
    /// </summary>
    private static readonly SupportedResponse Supported = new(new Dictionary<string, IReadOnlyList<string>>
    {
        ["CQL_VERSION"] = [CqlVersion],
        [StartupRequest.CompressionKey] = [],
        ["PROTOCOL_VERSIONS"] = ["4/v4"],
    });

    private readonly ConcurrentDictionary<string, bool> registrations = new(StringComparer.Ordinal);
    private bool started;

    /// <summary>Whether STARTUP (and authentication, when required) completed, so statements may run.</summary>
    public bool IsReady { get; private set; }

    /// <summary>The username of the last refused AUTH_RESPONSE, for the log.</summary>
    public string? RefusedUsername { get; private set; }

    /// <summary>True for the messages this class answers.</summary>
    public static bool Handles(CqlMessage message) => message is OptionsRequest or StartupRequest or AuthResponseRequest or RegisterRequest;

    /// <summary>Whether the connection REGISTERed for <paramref name="eventType"/>.</summary>
    public bool IsRegisteredFor(string eventType) => registrations.ContainsKey(eventType);

    public CqlMessage Answer(CqlMessage message) => message switch
    {
        OptionsRequest => Supported,
        StartupRequest startup => Startup(startup),
        AuthResponseRequest response => Authenticate(response),
        RegisterRequest register => Register(register),
        _ => throw new ArgumentException($"{message.Opcode} is not a handshake message.", nameof(message)),
    };

    /// <summary>The error for a statement sent before the connection is ready, worded as Cassandra words it.</summary>
    public CqlMessage NotReady(CqlMessage message) => Error(
        CqlErrorCode.ProtocolError,
        started
            ? $"Unexpected message {message.Opcode.ToString().ToUpperInvariant()}, expecting SASL response"
            : $"Unexpected message {message.Opcode.ToString().ToUpperInvariant()}, expecting STARTUP or OPTIONS");

    private CqlMessage Startup(StartupRequest startup)
    {
        if (!startup.Options.ContainsKey(StartupRequest.CqlVersionKey))
        {
            return Error(CqlErrorCode.ProtocolError, "CQL_VERSION is mandatory");
        }

        if (startup.Options.TryGetValue(StartupRequest.CompressionKey, out var compression) && !string.IsNullOrEmpty(compression))
        {
            return Error(CqlErrorCode.ProtocolError, $"Unknown compression algorithm: {compression}");
        }

        started = true;
        IsReady = !options.RequiresAuthentication;
        return IsReady ? new ReadyResponse() : new AuthenticateResponse(AuthenticateResponse.PasswordAuthenticator);
    }

    private CqlMessage Authenticate(AuthResponseRequest response)
    {
        if (!started || !options.RequiresAuthentication)
        {
            return Error(CqlErrorCode.ProtocolError, "Unexpected AUTH_RESPONSE: no authentication is in progress");
        }

        var (username, password) = SaslPlain(response.Token);
        if (username is not null && Same(username, options.Username) && Same(password, options.Password))
        {
            IsReady = true;
            return new AuthSuccessResponse(null);
        }

        RefusedUsername = username;
        return Error(CqlErrorCode.AuthenticationError, $"Provided username {username} and/or password are incorrect");
    }

    private CqlMessage Register(RegisterRequest register)
    {
        if (!IsReady)
        {
            return NotReady(register);
        }

        foreach (var type in register.EventTypes)
        {
            if (type is not (CqlEventType.SchemaChange or CqlEventType.StatusChange or CqlEventType.TopologyChange))
            {
                return Error(CqlErrorCode.ProtocolError, $"Invalid event type {type}");
            }

            registrations[type] = true;
        }

        return new ReadyResponse();
    }

    /// <summary>SASL PLAIN (RFC 4616): [authzid] NUL authcid NUL passwd, UTF-8. Null parts when the token is malformed.</summary>
    private static (string? Username, string? Password) SaslPlain(ReadOnlyMemory<byte>? token)
    {
        var parts = token is { } bytes ? Encoding.UTF8.GetString(bytes.Span).Split('\0') : [];
        return parts.Length == 3 ? (parts[1], parts[2]) : (null, null);
    }

    /// <summary>Compares in constant time, so the local server does not teach timing attacks by example.</summary>
    private static bool Same(string? given, string? expected) =>
        given is not null && expected is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static ErrorResponse Error(CqlErrorCode code, string message) => new(code, message);
}
