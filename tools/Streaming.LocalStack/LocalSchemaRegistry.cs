using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Streaming.LocalStack;

/// <summary>
/// A Confluent-compatible schema registry (Avro only) served by Kestrel on 127.0.0.1 inside this
/// process, with its state in memory. It answers every call Confluent's CachedSchemaRegistryClient and
/// Avro serdes make, with Confluent's JSON shapes and error codes, so hosts use the real client against
/// it exactly as against a real registry.
/// </summary>
public sealed class LocalSchemaRegistry : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication app;
    private readonly ILogger logger;
    private int disposed;

    private LocalSchemaRegistry(WebApplication app, Uri url, ILogger logger)
    {
        this.app = app;
        this.logger = logger;
        Url = url;
    }

    /// <summary>Base address, e.g. http://127.0.0.1:12345/.</summary>
    public Uri Url { get; }

    /// <summary>Base address without trailing slash, e.g. "http://127.0.0.1:12345" (what SchemaRegistryConfig.Url takes).</summary>
    public string UrlString => Url.GetLeftPart(UriPartial.Authority);

    /// <summary>Starts a registry on 127.0.0.1:<paramref name="port"/> (0 picks a free port).</summary>
    public static async Task<LocalSchemaRegistry> StartAsync(int port = 0, ILoggerFactory? loggerFactory = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<LocalSchemaRegistry>();

        // The empty builder reads no appsettings.json or environment variables: the embedding host's
        // Kestrel/URL settings must not leak into this private listener.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LocalSchemaRegistry).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddLogging(logging => logging
            .AddProvider(new ForwardingLoggerProvider(loggerFactory))
            // ASP.NET Core's own chatter stays out of the way; the registry logs through its own logger.
            .SetMinimumLevel(LogLevel.Warning));
        // The embedding process owns Ctrl+C/SIGTERM; this inner host stops only when disposed.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();

        var app = builder.Build();
        LocalSchemaRegistryEndpoints.Map(app, new LocalSchemaRegistryStore(), logger);
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var registry = new LocalSchemaRegistry(app, new Uri(address.TrimEnd('/') + "/"), logger);
        logger.Started(registry.UrlString);
        return registry;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        using (var timeout = new CancellationTokenSource(StopTimeout))
        {
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await app.DisposeAsync().ConfigureAwait(false);
        logger.Stopped(UrlString);
    }

    /// <summary>Hands the inner host's logs to the caller's factory without letting the host dispose it.</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
