using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Streaming.ProviderFakes;

/// <summary>SendGrid mail/send: POST /v3/mail/send answers 202 with X-Message-Id; the event ID is custom_args.event_id.</summary>
internal static class SendGridFake
{
    public static void Map(IEndpointRouteBuilder web, ProviderCalls calls)
    {
        web.MapPost("/v3/mail/send", async (HttpContext ctx) =>
        {
            if (!ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return Error(401, "Permission denied, wrong credentials");
            }

            var body = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
            var personalization = body?["personalizations"]?[0];
            var to = personalization?["to"]?[0]?["email"]?.GetValue<string>() ?? "";
            var eventId = body?["custom_args"]?["event_id"]?.GetValue<string>()
                ?? personalization?["custom_args"]?["event_id"]?.GetValue<string>();
            var details = !calls.Journaling ? null : new Dictionary<string, string>
            {
                ["subject"] = body?["subject"]?.GetValue<string>() ?? personalization?["subject"]?.GetValue<string>() ?? "",
                ["X-Entity-Ref-ID"] = body?["headers"]?["X-Entity-Ref-ID"]?.GetValue<string>()
                    ?? personalization?["headers"]?["X-Entity-Ref-ID"]?.GetValue<string>() ?? "",
                ["from"] = body?["from"]?["email"]?.GetValue<string>() ?? "",
            };
            var fault = await calls.DecideAsync(FakeProviders.Email, eventId, to, ctx.RequestAborted, details).ConfigureAwait(false);
            switch (fault)
            {
                case ProviderFault.None:
                    ctx.Response.Headers["X-Message-Id"] = Guid.NewGuid().ToString("N");
                    return Results.StatusCode(202);
                case ProviderFault.Invalid:
                    return Results.Json(new { errors = new[] { new { message = "Does not contain a valid address.", field = "personalizations.0.to.0.email" } } }, statusCode: 400);
                case ProviderFault.TooMany:
                    return calls.TooMany(ctx, Body("too many requests"));
                default:
                    return Error(503, "service unavailable");
            }
        });
    }

    /// <summary>SendGrid's error envelope for errors that name no field.</summary>
    private static object Body(string message) => new { errors = new[] { new { message, field = (string?)null } } };

    private static IResult Error(int status, string message) => Results.Json(Body(message), statusCode: status);
}
