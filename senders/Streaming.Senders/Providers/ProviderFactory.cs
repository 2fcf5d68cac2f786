using System.Net;
using Streaming.Contracts;

namespace Streaming.Senders.Providers;

/// <summary>Creates the adapter of a sender channel and the HTTP clients the adapters share.</summary>
public static class ProviderFactory
{
    /// <summary>The adapter of a sender channel, configured from <paramref name="options"/>.</summary>
    public static INotificationProvider Create(string channel, ProvidersOptions options, TimeProvider? time = null) => channel switch
    {
        Channels.Apns => new ApnsProvider(options.Apns, time ?? TimeProvider.System),
        Channels.Fcm => new FcmProvider(options.Fcm),
        Channels.Sms => new TwilioSmsProvider(options.Twilio),
        Channels.Email => new SendGridEmailProvider(options.SendGrid),
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel"),
    };

    /// <summary>A pooled handler; <paramref name="http2Only"/> makes HttpClient speak HTTP/2 even over cleartext (h2c prior knowledge), as APNs requires.</summary>
    internal static HttpClient HttpClient(string baseUrl, bool http2Only = false)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
            MaxConnectionsPerServer = 64,
        })
        {
            BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"),
            // Polly's timeout strategy bounds each call; this only catches a hung call outside it.
            Timeout = TimeSpan.FromMinutes(2),
        };
        if (http2Only)
        {
            client.DefaultRequestVersion = HttpVersion.Version20;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        return client;
    }
}
