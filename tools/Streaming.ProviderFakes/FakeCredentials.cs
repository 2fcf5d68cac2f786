using System.Security.Cryptography;
using System.Text.Json;

namespace Streaming.ProviderFakes;

/// <summary>Throwaway provider credentials, freshly generated, in the formats the real SDKs load.</summary>
internal static class FakeCredentials
{
    /// <summary>An APNs token-auth key (P-256, PKCS#8 PEM), as in an Apple .p8 file.</summary>
    public static string ApnsPrivateKeyPem()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ec.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>An FCM service-account JSON (fresh RSA key) whose token_uri is <paramref name="tokenUri"/>.</summary>
    public static string FcmServiceAccountJson(Uri tokenUri, string projectId)
    {
        using var rsa = RSA.Create(2048);
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = projectId,
            ["private_key_id"] = "fake-key-id",
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = $"sender@{projectId}.iam.gserviceaccount.com",
            ["client_id"] = "1",
            ["token_uri"] = tokenUri.ToString(),
        });
    }
}
