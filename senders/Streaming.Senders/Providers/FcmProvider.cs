using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using Streaming.Contracts;

namespace Streaming.Senders.Providers;

/// <summary>
/// FCM HTTP v1 (<c>POST v1/projects/{project}/messages:send</c>) with an OAuth2 access token from a service account via
/// Google.Apis.Auth (JWT bearer grant against the configured token endpoint, cached and refreshed by the library).
/// UNREGISTERED (404) means the token is dead; INVALID_ARGUMENT about the token too; other 4xx are permanent.
/// </summary>
public sealed class FcmProvider : INotificationProvider
{
    private const string Scope = "https://www.googleapis.com/auth/firebase.messaging";

    private readonly HttpClient http;
    private readonly ServiceAccountCredential credential;
    private readonly string sendPath;
    private readonly FcmOptions options;

    public FcmProvider(FcmOptions options)
    {
        this.options = options;
        var json = options.ServiceAccountJson is { Length: > 0 } ? options.ServiceAccountJson : (options.ServiceAccountFile is { Length: > 0 } f ? File.ReadAllText(f) : null)
            ?? throw new InvalidOperationException("Providers:Fcm needs ServiceAccountJson or ServiceAccountFile.");
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        string? Field(string name) => root.TryGetProperty(name, out var v) ? v.GetString() : null;
        var tokenEndpoint = (options.TokenEndpoint is { Length: > 0 } ? options.TokenEndpoint : null) ?? Field("token_uri") ?? GoogleAuthConsts.OidcTokenUrl;
        var projectId = (options.ProjectId is { Length: > 0 } ? options.ProjectId : null) ?? Field("project_id") ?? throw new InvalidOperationException("Providers:Fcm needs ProjectId (or project_id in the service account).");
        credential = new ServiceAccountCredential(new ServiceAccountCredential.Initializer(
            Field("client_email") ?? throw new InvalidOperationException("The FCM service account has no client_email."), tokenEndpoint)
        {
            Scopes = [Scope],
            ProjectId = projectId,
            KeyId = Field("private_key_id"),
        }.FromPrivateKey(Field("private_key") ?? throw new InvalidOperationException("The FCM service account has no private_key.")));
        http = ProviderFactory.HttpClient(options.BaseUrl);
        sendPath = $"v1/projects/{Uri.EscapeDataString(projectId)}/messages:send";
    }

    public string Name => "fcm";

    public async Task<ProviderResult> SendAsync(ChannelNotification n, CancellationToken cancellationToken)
    {
        var accessToken = await credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var message = FcmMessage.For(n, options, DateTimeOffset.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Post, sendPath) { Content = JsonContent.Create(new { message }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return ProviderResult.Delivered(body.RootElement.TryGetProperty("name", out var name) ? name.GetString() : null);
        }

        var (status, errorCode, text) = Error(body.RootElement);
        var error = $"{(int)response.StatusCode} {status}/{errorCode}: {text}";
        if (errorCode == "UNREGISTERED" || (response.StatusCode == HttpStatusCode.NotFound && status == "NOT_FOUND"))
        {
            return ProviderResult.InvalidTarget("invalid-token", error);
        }

        if (errorCode == "INVALID_ARGUMENT" || status == "INVALID_ARGUMENT")
        {
            // FCM answers INVALID_ARGUMENT both for a malformed token and a malformed message; either way resending cannot help.
            return text.Contains("token", StringComparison.OrdinalIgnoreCase)
                ? ProviderResult.InvalidTarget("invalid-token", error)
                : ProviderResult.Permanent("invalid-argument", error);
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return ProviderResult.Transient("unauthenticated", error);
        }

        return ProviderResult.FromStatus(response.StatusCode, error, ProviderResult.RetryAfterFrom(response.Headers));
    }

    public void Dispose() => http.Dispose();

    private static (string Status, string ErrorCode, string Message) Error(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var e))
        {
            return ("", "", "");
        }

        var status = e.TryGetProperty("status", out var s) ? s.GetString() ?? "" : "";
        var message = e.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
        var code = "";
        if (e.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            foreach (var d in details.EnumerateArray())
            {
                if (d.TryGetProperty("errorCode", out var c))
                {
                    code = c.GetString() ?? "";
                }
            }
        }

        return (status, code, message);
    }
}
