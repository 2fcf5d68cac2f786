using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Streaming.LocalCql.Server;

/// <summary>How a <see cref="LocalCqlServer"/> listens and whom it lets in.</summary>
public sealed record LocalCqlServerOptions
{
    /// <summary>The address to listen on; default 127.0.0.1.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The native port; 0 takes a free one (read it back from <see cref="LocalCqlServer.Endpoint"/>).</summary>
    public int Port { get; init; }

    /// <summary>
    /// With <see cref="Password"/>: STARTUP is answered with AUTHENTICATE (Cassandra's PasswordAuthenticator) and only
    /// this SASL PLAIN identity is accepted. Null: no authentication, STARTUP answers READY.
    /// </summary>
    public string? Username { get; init; }

    /// <summary>The password that goes with <see cref="Username"/>.</summary>
    public string? Password { get; init; }

    /// <summary>A certificate with its private key: connections are TLS (client_encryption_options) when set.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>The clock of the engine the server creates when none is given (TTL expiry, test delays); null: the system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>True when clients must authenticate.</summary>
    internal bool RequiresAuthentication => Username is not null || Password is not null;
}
