using System.Net;
using Streaming.Contracts;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;

namespace Streaming.Senders.Providers;

/// <summary>
/// SMS through the Twilio SDK. The SDK always builds https://api.twilio.com URLs; a handler under its
/// SystemNetHttpClient rewrites them to <see cref="TwilioOptions.BaseUrl"/>, and also captures Retry-After, which the
/// SDK's ApiException does not carry. The event ID rides on the status callback URL (?eventId=), so delivery receipts
/// can be joined to the log. Errors: 429/5xx/connection transient; 21211/21614 (invalid or non-mobile number) and
/// 21610 (unsubscribed) invalid target; other 4xx permanent.
/// </summary>
public sealed class TwilioSmsProvider : INotificationProvider
{
    private static readonly AsyncLocal<ResponseInfo?> LastResponse = new();
    private readonly TwilioOptions options;
    private readonly HttpClient http;
    private readonly TwilioRestClient client;

    public TwilioSmsProvider(TwilioOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.AccountSid) || string.IsNullOrWhiteSpace(options.AuthToken)
            || (string.IsNullOrWhiteSpace(options.From) && string.IsNullOrWhiteSpace(options.MessagingServiceSid)))
        {
            throw new InvalidOperationException("Providers:Twilio needs AccountSid, AuthToken and From or MessagingServiceSid.");
        }

        this.options = options;
        http = new HttpClient(new BaseUrlHandler(new Uri(options.BaseUrl)) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
        client = new TwilioRestClient(options.AccountSid, options.AuthToken, options.AccountSid, httpClient: new Twilio.Http.SystemNetHttpClient(http));
    }

    public string Name => "twilio";

    public async Task<ProviderResult> SendAsync(ChannelNotification n, CancellationToken cancellationToken)
    {
        var create = new CreateMessageOptions(new Twilio.Types.PhoneNumber(n.target)) { Body = n.body };
        if (options.MessagingServiceSid is { Length: > 0 } service)
        {
            create.MessagingServiceSid = service;
        }
        else
        {
            create.From = new Twilio.Types.PhoneNumber(options.From);
        }

        if (options.StatusCallbackUrl is { Length: > 0 } callback)
        {
            var separator = callback.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            create.StatusCallback = new Uri(callback + separator + "eventId=" + Uri.EscapeDataString(n.eventId));
        }

        if (n.expiresAt is { } expires)
        {
            // Twilio drops queued messages older than ValidityPeriod seconds (1..36000).
            create.ValidityPeriod = (int)Math.Clamp((expires.AsUtc() - DateTimeOffset.UtcNow).TotalSeconds, 1, 36000);
        }

        var info = new ResponseInfo();
        LastResponse.Value = info;
        try
        {
            // The SDK has no cancellation on this overload: Polly's timeout abandons the call instead.
            var message = await MessageResource.CreateAsync(create, client).WaitAsync(cancellationToken).ConfigureAwait(false);
            return ProviderResult.Delivered(message.Sid);
        }
        catch (ApiException e)
        {
            var error = $"{e.Status} {e.Code}: {e.Message}";
            if (e.Code is 21211 or 21614 or 21610 or 21408)
            {
                return ProviderResult.InvalidTarget("invalid-phone", error);
            }

            var status = e.Status > 0 ? (HttpStatusCode)e.Status : info.Status;
            return ProviderResult.FromStatus(status, error, info.RetryAfter);
        }
        catch (ApiConnectionException e)
        {
            return ProviderResult.Transient("connection", e.Message);
        }
    }

    public void Dispose() => http.Dispose();

    private sealed class ResponseInfo
    {
        public HttpStatusCode Status { get; set; }
        public TimeSpan? RetryAfter { get; set; }
    }

    private sealed class BaseUrlHandler(Uri baseUrl) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } uri)
            {
                request.RequestUri = new UriBuilder(uri) { Scheme = baseUrl.Scheme, Host = baseUrl.Host, Port = baseUrl.Port }.Uri;
            }

            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (LastResponse.Value is { } info)
            {
                info.Status = response.StatusCode;
                info.RetryAfter = ProviderResult.RetryAfterFrom(response.Headers);
            }

            return response;
        }
    }
}
