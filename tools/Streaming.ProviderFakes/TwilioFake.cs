using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace Streaming.ProviderFakes;

/// <summary>Twilio Messages: POST /2010-04-01/Accounts/{sid}/Messages.json with a form body; the event ID travels in the status callback URL.</summary>
internal static class TwilioFake
{
    public static void Map(IEndpointRouteBuilder web, ProviderCalls calls)
    {
        web.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (HttpContext ctx, string sid) =>
        {
            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
            var to = form["To"].ToString();
            var callback = form["StatusCallback"].ToString();
            string? eventId = null;
            if (Uri.TryCreate(callback, UriKind.Absolute, out var cb))
            {
                eventId = QueryHelpers.ParseQuery(cb.Query).TryGetValue("eventId", out var v) ? v.ToString() : null;
            }

            var details = !calls.Journaling ? null : new Dictionary<string, string> { ["From"] = form["From"].ToString(), ["Body"] = form["Body"].ToString(), ["StatusCallback"] = callback };
            var fault = await calls.DecideAsync(FakeProviders.Sms, eventId, to, ctx.RequestAborted, details).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
            return fault switch
            {
                ProviderFault.None => Results.Json(new Dictionary<string, object?>
                {
                    ["sid"] = "SM" + Guid.NewGuid().ToString("N"),
                    ["account_sid"] = sid,
                    ["to"] = to,
                    ["from"] = form["From"].ToString(),
                    ["messaging_service_sid"] = form["MessagingServiceSid"].ToString() is { Length: > 0 } m ? m : null,
                    ["body"] = form["Body"].ToString(),
                    ["status"] = "queued",
                    ["num_segments"] = "1",
                    ["direction"] = "outbound-api",
                    ["api_version"] = "2010-04-01",
                    ["date_created"] = now,
                    ["date_updated"] = now,
                    ["uri"] = $"/2010-04-01/Accounts/{sid}/Messages/SM.json",
                }, statusCode: 201),
                ProviderFault.Invalid => Error(400, 21211, $"The 'To' number {to} is not a valid phone number."),
                ProviderFault.TooMany => calls.TooMany(ctx, new { code = 20429, message = "Too Many Requests", more_info = "https://www.twilio.com/docs/errors/20429", status = 429 }),
                _ => Error(503, 20503, "Service unavailable"),
            };
        });
    }

    private static IResult Error(int status, int code, string message)
        => Results.Json(new { code, message, more_info = $"https://www.twilio.com/docs/errors/{code}", status }, statusCode: status);
}
