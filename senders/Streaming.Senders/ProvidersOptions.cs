namespace Streaming.Senders;

/// <summary>Provider endpoints and credentials, bound from "Providers". Credentials come only from configuration or the environment and are never logged.</summary>
public sealed class ProvidersOptions
{
    public const string Section = "Providers";

    public ApnsOptions Apns { get; set; } = new();
    public FcmOptions Fcm { get; set; } = new();
    public TwilioOptions Twilio { get; set; } = new();
    public SendGridOptions SendGrid { get; set; } = new();

    /// <summary>Points every provider at one base URL (the local fakes) and fills throwaway credentials where none are set.</summary>
    public static ProvidersOptions ForBaseUrl(Uri baseUrl, string apnsPrivateKeyPem, string fcmServiceAccountJson) => new()
    {
        Apns = new() { BaseUrl = baseUrl.ToString(), TeamId = "TEAM000001", KeyId = "KEY0000001", PrivateKeyPem = apnsPrivateKeyPem, DefaultTopic = "com.example.app" },
        Fcm = new() { BaseUrl = baseUrl.ToString(), ServiceAccountJson = fcmServiceAccountJson, TokenEndpoint = new Uri(baseUrl, "/token").ToString(), WebLink = "https://app.example.com/notifications/{eventId}" },
        Twilio = new() { BaseUrl = baseUrl.ToString(), AccountSid = "AC00000000000000000000000000000000", AuthToken = "local-auth-token", From = "+15005550006", StatusCallbackUrl = new Uri(baseUrl, "/twilio/status").ToString() },
        SendGrid = new() { BaseUrl = baseUrl.ToString(), ApiKey = "SG.local-key", FromEmail = "notifications@example.com", FromName = "Streaming" },
    };
}

public sealed class ApnsOptions
{
    public string BaseUrl { get; set; } = "https://api.push.apple.com";
    public string TeamId { get; set; } = "";
    public string KeyId { get; set; } = "";

    /// <summary>Contents of the .p8 token-auth key (PKCS#8 PEM); or use <see cref="PrivateKeyFile"/>.</summary>
    public string? PrivateKeyPem { get; set; }

    public string? PrivateKeyFile { get; set; }

    /// <summary>apns-topic when the notification carries no app bundle ID.</summary>
    public string DefaultTopic { get; set; } = "";

    /// <summary>Provider tokens are valid 20-60 min at Apple; refresh before that.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(50);
}

public sealed class FcmOptions
{
    public string BaseUrl { get; set; } = "https://fcm.googleapis.com";

    /// <summary>Service-account JSON contents; or <see cref="ServiceAccountFile"/>.</summary>
    public string? ServiceAccountJson { get; set; }

    public string? ServiceAccountFile { get; set; }

    /// <summary>OAuth2 token endpoint; default the service account's token_uri.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>Default the service account's project_id.</summary>
    public string? ProjectId { get; set; }

    /// <summary>
    /// The page a click on a web push opens when the request names no link of its own: an HTTPS URL, "{eventId}" replaced
    /// by the notification's event ID. Empty: the browser focuses the site that registered.
    /// </summary>
    public string? WebLink { get; set; }
}

public sealed class TwilioOptions
{
    public string BaseUrl { get; set; } = "https://api.twilio.com";
    public string AccountSid { get; set; } = "";
    public string AuthToken { get; set; } = "";
    public string? From { get; set; }
    public string? MessagingServiceSid { get; set; }

    /// <summary>Twilio posts delivery receipts here; the event ID is appended as ?eventId=.</summary>
    public string? StatusCallbackUrl { get; set; }
}

public sealed class SendGridOptions
{
    public string BaseUrl { get; set; } = "https://api.sendgrid.com";
    public string ApiKey { get; set; } = "";
    public string FromEmail { get; set; } = "";
    public string? FromName { get; set; }
}
