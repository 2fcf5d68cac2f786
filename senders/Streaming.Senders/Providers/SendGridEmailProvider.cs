using System.Net;
using SendGrid;
using SendGrid.Helpers.Mail;
using Streaming.Contracts;

namespace Streaming.Senders.Providers;

/// <summary>
/// Email through the SendGrid SDK (<see cref="SendGridClientOptions.Host"/> = the configured base URL). The event ID
/// travels in custom_args (event_id, echoed by SendGrid's event webhook) and in an X-Entity-Ref-ID header, which mail
/// clients use to tell repeated sends apart instead of threading them. 400 about an address = invalid target.
/// </summary>
public sealed class SendGridEmailProvider : INotificationProvider
{
    private readonly SendGridOptions options;
    private readonly HttpClient http;
    private readonly SendGridClient client;

    public SendGridEmailProvider(SendGridOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ApiKey) || string.IsNullOrWhiteSpace(options.FromEmail))
        {
            throw new InvalidOperationException("Providers:SendGrid:ApiKey and Providers:SendGrid:FromEmail are required.");
        }

        this.options = options;
        http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromMinutes(2) };
        client = new SendGridClient(http, new SendGridClientOptions { ApiKey = options.ApiKey, Host = options.BaseUrl.TrimEnd('/') });
    }

    public string Name => "sendgrid";

    public async Task<ProviderResult> SendAsync(ChannelNotification n, CancellationToken cancellationToken)
    {
        var message = MailHelper.CreateSingleEmail(
            new EmailAddress(options.FromEmail, options.FromName),
            new EmailAddress(n.target),
            n.subject ?? n.title ?? n.category,
            n.body,
            null);
        message.AddCustomArg("event_id", n.eventId);
        foreach (var (k, v) in n.data ?? new Dictionary<string, string>())
        {
            if (k != "event_id")
            {
                message.AddCustomArg(k, v);
            }
        }

        message.AddHeader("X-Entity-Ref-ID", n.eventId);
        message.AddCategory(n.category);
        var response = await client.SendEmailAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return ProviderResult.Delivered(response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null);
        }

        var body = response.Body is null ? "" : await response.Body.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var error = $"{(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)}";
        if (response.StatusCode == HttpStatusCode.BadRequest && body.Contains("valid address", StringComparison.OrdinalIgnoreCase))
        {
            return ProviderResult.InvalidTarget("invalid-email", error);
        }

        return ProviderResult.FromStatus(response.StatusCode, error, ProviderResult.RetryAfterFrom(response.Headers));
    }

    public void Dispose() => http.Dispose();
}
