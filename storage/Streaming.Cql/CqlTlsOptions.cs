using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Streaming.Cql;

/// <summary>TLS for the native protocol port (client_encryption_options on the server).</summary>
public sealed class CqlTlsOptions
{
    public bool Enabled { get; set; }

    /// <summary>Name the server certificate must carry; the contact point's host when not set.</summary>
    public string? TargetHost { get; set; }

    /// <summary>Accept any server certificate. For development clusters with self-signed certificates only.</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>Custom server certificate validation; overrides the default chain and name checks.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>Client certificates for servers that require them (require_client_auth).</summary>
    public X509CertificateCollection? ClientCertificates { get; set; }

    /// <summary>Allowed TLS versions; None lets the OS choose.</summary>
    public SslProtocols EnabledProtocols { get; set; } = SslProtocols.None;

    internal RemoteCertificateValidationCallback? EffectiveValidation => ServerCertificateValidation
        ?? (AllowUntrustedCertificates ? (_, _, _, _) => true : null);
}
