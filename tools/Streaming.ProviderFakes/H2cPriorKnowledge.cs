using System.Buffers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Streaming.ProviderFakes;

/// <summary>
/// Lets one cleartext port serve HTTP/1.1 and HTTP/2 with prior knowledge (h2c, what an APNs client sends to a local
/// fake). Kestrel picks HTTP/2 on an Http1AndHttp2 endpoint only when TLS ALPN said "h2", so a connection whose first
/// bytes are the HTTP/2 client preface is given the TLS features as if ALPN had negotiated h2. Test fake only.
/// </summary>
internal static class H2cPriorKnowledge
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        var input = connection.Transport.Input;
        var result = await input.ReadAtLeastAsync(Preface.Length).ConfigureAwait(false);
        var isH2 = result.Buffer.Length >= Preface.Length && result.Buffer.Slice(0, Preface.Length).ToArray().AsSpan().SequenceEqual(Preface);
        input.AdvanceTo(result.Buffer.Start); // nothing consumed: Kestrel reads the same bytes again
        if (isH2)
        {
            connection.Features.Set<ITlsConnectionFeature>(new CleartextH2Feature());
            connection.Features.Set<ITlsApplicationProtocolFeature>(new CleartextH2Feature());
        }

        await next(connection).ConfigureAwait(false);
    };

    private sealed class CleartextH2Feature : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public X509Certificate2? ClientCertificate { get; set; }

        public ReadOnlyMemory<byte> ApplicationProtocol => SslApplicationProtocol.Http2.Protocol;

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
    }
}
