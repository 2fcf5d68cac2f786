using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Streaming.Cql.Tests.Support;

namespace Streaming.Cql.Tests;

public class TlsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=cql.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12 so the server side gets a key SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    [Fact(Timeout = 30_000)]
    public async Task tls_connects_when_the_configured_validation_accepts_the_server_certificate()
    {
        using var certificate = SelfSigned();
        await using var server = new ScriptedCqlServer { Certificate = certificate };
        var options = TestOptions.For(server);
        var seen = new List<string>();
        options.Tls = new CqlTlsOptions
        {
            Enabled = true,
            ServerCertificateValidation = (_, presented, _, _) =>
            {
                seen.Add(presented!.GetCertHashString());
                return presented.GetCertHashString() == certificate.GetCertHashString();
            },
        };

        await using var session = await CqlSession.ConnectAsync(options, TestLoggerFactory.Instance, Ct);
        await session.ExecuteAsync("SELECT", Ct);

        Assert.Equal([certificate.GetCertHashString()], seen.Distinct());
    }

    [Fact(Timeout = 30_000)]
    public async Task tls_refuses_an_untrusted_server_certificate_by_default()
    {
        using var certificate = SelfSigned();
        await using var server = new ScriptedCqlServer { Certificate = certificate };
        var options = TestOptions.For(server);
        options.Tls = new CqlTlsOptions { Enabled = true };

        var error = await Assert.ThrowsAsync<NoHostAvailableException>(() => CqlSession.ConnectAsync(options, TestLoggerFactory.Instance, Ct));

        Assert.IsType<AuthenticationException>(error.Errors[server.Endpoint]);
    }
}
