using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Streaming.ProviderFakes;

/// <summary>APNs: POST /3/device/{token} with a provider token (JWT bearer) and the apns-id header; errors as JSON {"reason": ...}.</summary>
internal static class ApnsFake
{
    public static void Map(IEndpointRouteBuilder web, ProviderCalls calls)
    {
        web.MapPost("/3/device/{token}", async (HttpContext ctx, string token) =>
        {
            var eventId = ctx.Request.Headers["apns-id"].ToString();
            if (!ctx.Request.Headers.Authorization.ToString().StartsWith("bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return Results.Json(new { reason = "MissingProviderToken" }, statusCode: 403);
            }

            Dictionary<string, string>? details = null;
            if (calls.Journaling)
            {
                details = ctx.Request.Headers.Where(h => h.Key.StartsWith("apns-", StringComparison.OrdinalIgnoreCase))
                    .ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
                details["protocol"] = ctx.Request.Protocol;
                details["authorization-alg"] = JwtAlgorithm(ctx.Request.Headers.Authorization.ToString()["bearer ".Length..]);
            }

            var fault = await calls.DecideAsync(FakeProviders.Apns, eventId, token, ctx.RequestAborted, details).ConfigureAwait(false);
            ctx.Response.Headers["apns-id"] = eventId;
            return fault switch
            {
                ProviderFault.None => Results.Ok(),
                ProviderFault.Invalid => Results.Json(new { reason = "Unregistered", timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, statusCode: 410),
                ProviderFault.TooMany => calls.TooMany(ctx, new { reason = "TooManyRequests" }),
                _ => Results.Json(new { reason = "ServiceUnavailable" }, statusCode: 503),
            };
        });
    }

    /// <summary>The "alg" of a JWT's header (APNs requires ES256), or "" when it is not a JWT.</summary>
    private static string JwtAlgorithm(string jwt)
    {
        try
        {
            var header = jwt.Split('.')[0].Replace('-', '+').Replace('_', '/');
            header += new string('=', (4 - header.Length % 4) % 4);
            return JsonNode.Parse(Convert.FromBase64String(header))?["alg"]?.GetValue<string>() ?? "";
        }
        catch (Exception e) when (e is FormatException or JsonException or IndexOutOfRangeException)
        {
            return "";
        }
    }
}
