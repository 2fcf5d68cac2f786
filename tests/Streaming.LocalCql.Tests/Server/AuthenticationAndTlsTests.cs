using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Streaming.LocalCql.Server;
using static Streaming.LocalCql.Tests.Server.ServerRig;

namespace Streaming.LocalCql.Tests.Server;

/// <summary>PasswordAuthenticator's SASL PLAIN exchange and client encryption, as our client meets them on Cassandra.</summary>
public class AuthenticationAndTlsTests
{
    private static readonly LocalCqlServerOptions WithPassword = new() { Username = "streaming", Password = "s3cret" };

    [Fact(Timeout = 30_000)]
    public async Task the_configured_credentials_are_accepted_over_sasl_plain()
    {
        await using var server = await StartAsync(WithPassword);
        var options = ClientOptions(server.Address);
        (options.Username, options.Password) = ("streaming", "s3cret");

        await using var session = await ConnectAsync(options);

        Assert.Empty(await session.ExecuteAsync("SELECT * FROM delivery_log WHERE event_id = 'x'", Ct));
    }

    [Fact(Timeout = 30_000)]
    public async Task a_wrong_password_is_refused_with_an_authentication_error_and_no_credentials_with_a_client_error()
    {
        await using var server = await StartAsync(WithPassword);
        var wrong = ClientOptions(server.Address);
        (wrong.Username, wrong.Password) = ("streaming", "guess");

        var refused = await Assert.ThrowsAsync<NoHostAvailableException>(() => ConnectAsync(wrong));
        var anonymous = await Assert.ThrowsAsync<NoHostAvailableException>(() => ConnectAsync(server.Address));

        var error = Assert.IsType<CqlServerException>(refused.Errors[server.Address]);
        Assert.Equal((CqlErrorCode.AuthenticationError, "Provided username streaming and/or password are incorrect"), (error.Code, error.ServerMessage));
        Assert.IsType<CqlAuthenticationException>(anonymous.Errors[server.Address]);
    }

    [Fact(Timeout = 30_000)]
    public async Task statements_before_authentication_completes_are_refused()
    {
        await using var server = await StartAsync(WithPassword);
        await using var connection = await RawCqlConnection.OpenAsync(server.Endpoint);

        var challenge = Assert.IsType<AuthenticateResponse>(await connection.RequestAsync(1, RawCqlConnection.Startup()));
        var early = Assert.IsType<ErrorResponse>(await connection.RequestAsync(2, RawCqlConnection.Query("SELECT * FROM system.local")));

        Assert.Equal(AuthenticateResponse.PasswordAuthenticator, challenge.Authenticator);
        Assert.Equal(CqlErrorCode.ProtocolError, early.Code);
    }

    [Fact(Timeout = 30_000)]
    public async Task connections_are_encrypted_when_the_server_has_a_certificate()
    {
        using var certificate = SelfSigned();
        await using var server = await StartAsync(new LocalCqlServerOptions { Certificate = certificate });
        var options = ClientOptions(server.Address);
        var presented = new List<string>();
        options.Tls = new CqlTlsOptions
        {
            Enabled = true,
            ServerCertificateValidation = (_, cert, _, _) =>
            {
                presented.Add(cert!.GetCertHashString());
                return true;
            },
        };

        await using var session = await ConnectAsync(options);
        await session.ExecuteAsync("INSERT INTO delivery_log (event_id, channel, target, occurred_at, outcome, attempt) VALUES ('tls', 'sms', '+1', 0, 'delivered', 1)", Ct);

        Assert.Single(await session.ExecuteAsync("SELECT * FROM delivery_log WHERE event_id = 'tls'", Ct));
        Assert.Equal([certificate.GetCertHashString()], presented.Distinct());
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=local-cql", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12 so SslStream gets a private key it can use for the server side.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }
}
