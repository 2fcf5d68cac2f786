using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>A fresh API (<see cref="ApiHarness"/>) per test, writing to its own requests topic on the shared cluster.</summary>
public abstract class ApiTest(LocalStackFixture fx) : IAsyncLifetime
{
    protected LocalStackFixture Fx => fx;

    internal ApiHarness Api { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Api = await ApiHarness.StartAsync(fx);

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
