using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Streaming.ProviderFakes;

/// <summary>FCM HTTP v1 (POST /v1/projects/{project}/messages:send) and the Google OAuth2 token endpoint its clients call first.</summary>
internal static class FcmFake
{
    public static void Map(IEndpointRouteBuilder web, ProviderCalls calls)
    {
        // JWT bearer grant: any assertion gets the fixed token.
        web.MapPost("/token", (HttpContext _) =>
        {
            calls.Counters.CountTokenRequest();
            return Results.Json(new { access_token = FakeProviders.AccessToken, token_type = "Bearer", expires_in = 3600 });
        });

        var sequence = 0L;
        web.MapPost("/v1/projects/{project}/messages:send", async (HttpContext ctx, string project) =>
        {
            if (ctx.Request.Headers.Authorization.ToString() != "Bearer " + FakeProviders.AccessToken)
            {
                return Error(401, "UNAUTHENTICATED", null, "Request had invalid authentication credentials.");
            }

            var body = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
            var message = body?["message"];
            var token = message?["token"]?.GetValue<string>() ?? "";
            var eventId = message?["data"]?["eventId"]?.GetValue<string>();
            if (token.Length == 0)
            {
                return Error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token");
            }

            var details = !calls.Journaling ? null : new Dictionary<string, string>
            {
                ["android.priority"] = message?["android"]?["priority"]?.GetValue<string>() ?? "",
                ["android.collapse_key"] = message?["android"]?["collapse_key"]?.GetValue<string>() ?? "",
                ["notification.title"] = message?["notification"]?["title"]?.GetValue<string>() ?? "",
            };
            var fault = await calls.DecideAsync(FakeProviders.Fcm, eventId, token, ctx.RequestAborted, details).ConfigureAwait(false);
            return fault switch
            {
                ProviderFault.None => Results.Json(new { name = $"projects/{project}/messages/{Interlocked.Increment(ref sequence)}" }),
                ProviderFault.Invalid => Error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found."),
                ProviderFault.TooMany => calls.TooMany(ctx, Body(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded.")),
                _ => Error(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable."),
            };
        });
    }

    /// <summary>Google's error envelope; the FCM error code travels in a google.firebase.fcm.v1.FcmError detail.</summary>
    private static object Body(int code, string status, string? errorCode, string message) => new
    {
        error = new
        {
            code,
            message,
            status,
            details = errorCode is null
                ? Array.Empty<object>()
                : [new Dictionary<string, string> { ["@type"] = "type.googleapis.com/google.firebase.fcm.v1.FcmError", ["errorCode"] = errorCode }],
        },
    };

    private static IResult Error(int code, string status, string? errorCode, string message)
        => Results.Json(Body(code, status, errorCode, message), statusCode: code);
}
