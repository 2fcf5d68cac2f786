using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using ConfluentSchema = Confluent.SchemaRegistry.Schema;

namespace Streaming.LocalStack.Tests;

/// <summary>
/// A fresh local registry per test, driven by Confluent's own client: if these tests pass, hosts can point their real
/// SchemaRegistryConfig at it. Its request log is kept in <see cref="Logs"/>.
/// </summary>
public abstract class RegistryTest : IAsyncLifetime
{
    /// <summary>Backstop for a hung test; every registry call has its own deadline (<see cref="RequestDeadlineMs"/>).</summary>
    protected const int TimeoutMs = 60_000;

    // Deadline of every registry call (the Confluent client takes no CancellationToken): the registry
    // is local, so anything slower is a hang and must fail the test rather than stall the run.
    private const int RequestDeadlineMs = 5_000;

    protected RecordingLoggerProvider Logs { get; } = new(TestContext.Current.TestOutputHelper);

    protected ILoggerFactory Loggers { get; private set; } = null!;

    protected LocalSchemaRegistry Registry { get; set; } = null!;

    protected CachedSchemaRegistryClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Loggers = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        Registry = await LocalSchemaRegistry.StartAsync(loggerFactory: Loggers, ct: TestContext.Current.CancellationToken);
        Client = NewClient();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Registry.DisposeAsync();
        Loggers.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A client with an empty cache: CachedSchemaRegistryClient would otherwise answer from its own.</summary>
    protected CachedSchemaRegistryClient NewClient() => new(new SchemaRegistryConfig { Url = Registry.UrlString, RequestTimeoutMs = RequestDeadlineMs });

    protected static ConfluentSchema Avro(string schema) => new(schema, SchemaType.Avro);

    protected static string Canonical(string schema) => global::Avro.Schema.Parse(schema).ToString();
}
