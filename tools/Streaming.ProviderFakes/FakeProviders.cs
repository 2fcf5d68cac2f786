using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Streaming.ProviderFakes;

/// <summary>
/// Fakes of APNs, FCM HTTP v1 (with its OAuth2 token endpoint), Twilio Messages and SendGrid mail/send on ONE Kestrel
/// server on 127.0.0.1, close enough for the real SDKs. Records every request and injects faults (<see cref="Faults"/>).
/// Point every provider base URL at <see cref="BaseUrl"/>; the endpoint speaks HTTP/1.1 and cleartext HTTP/2 (prior
/// knowledge), which APNs clients need.
/// </summary>
public sealed class FakeProviders : IAsyncDisposable
{
    public const string Apns = "apns";
    public const string Fcm = "fcm";
    public const string Sms = "sms";
    public const string Email = "email";

    /// <summary>The access token the fake OAuth endpoint issues and the FCM fake expects.</summary>
    public const string AccessToken = "fake-fcm-access-token";

    /// <summary>How many of the latest requests <see cref="Requests"/> keeps with their details by default (the counts cover all).</summary>
    public const int DefaultJournalCapacity = 100_000;

    private readonly WebApplication app;
    private readonly FaultInjector faults;
    private readonly CallCounters counters = new();
    private readonly RequestJournal journal;

    private FakeProviders(WebApplication app, FaultSpec faults, int journalCapacity)
    {
        this.app = app;
        this.faults = new FaultInjector(faults);
        journal = new RequestJournal(journalCapacity);
        var calls = new ProviderCalls(this.faults, counters, journal);
        ApnsFake.Map(app, calls);
        FcmFake.Map(app, calls);
        TwilioFake.Map(app, calls);
        SendGridFake.Map(app, calls);
    }

    /// <summary>How many of the latest requests <see cref="Requests"/> keeps; 0 keeps none and skips collecting their details.</summary>
    public int JournalCapacity => journal.Capacity;

    /// <summary>http://127.0.0.1:port, the base URL of every fake.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The current faults (a copy: change them with <see cref="SetFaults(FaultSpec)"/> or <see cref="SetFaults(string)"/>).</summary>
    public FaultSpec Faults => faults.Current.Clone();

    public void SetFaults(FaultSpec spec) => faults.Set(spec);

    public void SetFaults(string spec) => faults.Set(FaultSpec.Parse(spec));

    /// <summary>Switches a full outage (every provider request answers 503) on or off.</summary>
    public void SetOutage(bool on) => faults.SetOutage(on);

    /// <summary>The latest <see cref="JournalCapacity"/> provider requests, oldest first.</summary>
    public IReadOnlyList<FakeRequest> Requests => journal.Snapshot;

    /// <summary>Provider requests answered since the start (any status), including those no longer in <see cref="Requests"/>.</summary>
    public long RequestCount => counters.Requests;

    public long TokenRequests => counters.TokenRequests;

    /// <summary>Requests answered 2xx, optionally for one channel.</summary>
    public int Delivered(string? channel = null) => (int)counters.Accepted(channel);

    /// <summary>How many times an (eventId, channel, target) that was already accepted was accepted again: what a user would see twice.</summary>
    public int Duplicates => (int)counters.Duplicates;

    /// <summary>Accepted (eventId, channel, target) triples seen more than once.</summary>
    public IReadOnlyList<(string Channel, string EventId, string Target)> DuplicateKeys => counters.DuplicateKeys;

    /// <summary>
    /// Starts the fakes on 127.0.0.1:<paramref name="port"/> (0 = a free port) with faults from <paramref name="faultSpec"/>,
    /// journaling the latest <paramref name="journalCapacity"/> requests (the benchmark keeps none: entries that live just
    /// long enough to be promoted cost the GC more than they are worth there).
    /// </summary>
    public static async Task<FakeProviders> StartAsync(int port = 0, string? faultSpec = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default, int journalCapacity = DefaultJournalCapacity)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port, o =>
            {
                o.Protocols = HttpProtocols.Http1AndHttp2;
                o.Use(H2cPriorKnowledge.Middleware);
            });
            k.Limits.Http2.MaxStreamsPerConnection = 1000;
            // h2c connections look like TLS to Kestrel (see H2cPriorKnowledge): accept their ":scheme http".
            k.AllowAlternateSchemes = true;
        });
        var fakes = new FakeProviders(builder.Build(), FaultSpec.Parse(faultSpec), journalCapacity);
        await fakes.app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = fakes.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fakes.BaseUrl = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return fakes;
    }

    /// <summary>A throwaway FCM service-account JSON (fresh RSA key) whose token_uri is this fake's /token.</summary>
    public string FcmServiceAccountJson(string projectId = "demo-project")
        => FakeCredentials.FcmServiceAccountJson(new Uri(BaseUrl, "/token"), projectId);

    /// <summary>A throwaway APNs token-auth key (P-256, PKCS#8 PEM), as in an Apple .p8 file.</summary>
    public static string ApnsPrivateKeyPem() => FakeCredentials.ApnsPrivateKeyPem();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
