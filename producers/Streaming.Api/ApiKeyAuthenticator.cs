using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Streaming.Api;

/// <summary>
/// Finds the client of an API key. Keys are compared as SHA-256 hashes with a fixed-time comparison over
/// every configured hash, so neither the stored value nor the timing reveals a key.
/// </summary>
public sealed class ApiKeyAuthenticator(IOptionsMonitor<ApiOptions> options)
{
    public const string HeaderName = "X-Api-Key";

    public ApiClient? Authenticate(string? presentedKey)
    {
        if (string.IsNullOrEmpty(presentedKey) || presentedKey.Length > 512)
        {
            return null;
        }

        var presented = Convert.FromHexString(ApiClient.HashKey(presentedKey));
        ApiClient? match = null;
        foreach (var client in options.CurrentValue.Clients)
        {
            foreach (var hash in client.KeySha256)
            {
                // A malformed configured hash (wrong length, not hex, emptied during a rotation) matches nothing.
                if (hash is { Length: 64 } && hash.All(char.IsAsciiHexDigit)
                    && CryptographicOperations.FixedTimeEquals(presented, Convert.FromHexString(hash)))
                {
                    match ??= client; // keep looping: the time taken must not depend on which key matched
                }
            }
        }

        return match;
    }
}
