using System.Net;
using Streaming.Api;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

public sealed class ApiKeyTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task keys_rotate_without_a_restart_when_configuration_changes()
    {
        const string oldKey = "rotating-old-key-000000";
        const string newKey = "rotating-new-key-111111";
        await using var api = await ApiHarness.StartAsync(fx, new()
        {
            ["Api:Clients:0:Name"] = "rotating-service",
            ["Api:Clients:0:KeySha256:0"] = ApiClient.HashKey(oldKey),
            ["Api:Clients:0:Categories:0"] = "*",
        });
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync(ApiHarness.ValidBody(), oldKey)).StatusCode);

        // Rotation step 1: both keys valid.
        api.Reconfigure("Api:Clients:0:KeySha256:1", ApiClient.HashKey(newKey));
        await Eventually.TrueAsync(() => api.PostAsync(ApiHarness.ValidBody(), newKey).Result.StatusCode == HttpStatusCode.Accepted, TimeSpan.FromSeconds(10), "new key accepted");
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync(ApiHarness.ValidBody(), oldKey)).StatusCode);

        // Step 2: the old key is retired.
        api.Reconfigure("Api:Clients:0:KeySha256:0", ApiClient.HashKey(newKey));
        api.Reconfigure("Api:Clients:0:KeySha256:1", null);
        await Eventually.TrueAsync(() => api.PostAsync(ApiHarness.ValidBody(), oldKey).Result.StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10), "old key refused");
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync(ApiHarness.ValidBody(), newKey)).StatusCode);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void keys_are_stored_as_sha256_hashes_and_matched_only_by_hash()
    {
        var hash = ApiClient.HashKey("secret-key");
        Assert.Equal(64, hash.Length);
        Assert.DoesNotContain("secret", hash);
        var options = new ApiOptions { Clients = [new ApiClient { Name = "svc", KeySha256 = [hash], Categories = ["*"] }] };
        var auth = new ApiKeyAuthenticator(new StaticMonitor(options));

        Assert.Equal("svc", auth.Authenticate("secret-key")?.Name);
        Assert.Null(auth.Authenticate(hash)); // presenting the stored hash is not the key
        Assert.Null(auth.Authenticate("secret-kez"));
        Assert.Null(auth.Authenticate(""));
    }

    private sealed class StaticMonitor(ApiOptions value) : Microsoft.Extensions.Options.IOptionsMonitor<ApiOptions>
    {
        public ApiOptions CurrentValue => value;

        public ApiOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ApiOptions, string?> listener) => null;
    }
}
