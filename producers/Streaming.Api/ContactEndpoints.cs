using Microsoft.Extensions.Options;
using Streaming.Producers;

namespace Streaming.Api;

/// <summary>PUT/DELETE under /v1/users: a user's contact information, devices and preferences, written to their compacted topics.</summary>
internal static class ContactEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var contacts = app.MapGroup("/v1/users").WithTags("Contact information");
        contacts.MapPut("/{userId}", (string userId, HttpContext http, ContactInfoPublisher p, ApiKeyAuthenticator a, IOptionsMonitor<ApiOptions> o, ILoggerFactory l)
                => WriteContact<UserBody>(http, a, o, l, (b, ct) => p.PutUserAsync(userId, new UserProfileUpdate
                {
                    DisplayName = b.DisplayName, Email = b.Email, Phone = b.Phone, Locale = b.Locale, TimeZone = b.TimeZone,
                }, ct)))
            .WithSummary("Create or replace a user's contact information (users table).")
            .Accepts<UserBody>("application/json").Produces<AcceptedWrite>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest);

        contacts.MapPut("/{userId}/devices/{token}", (string userId, string token, HttpContext http, ContactInfoPublisher p, ApiKeyAuthenticator a, IOptionsMonitor<ApiOptions> o, ILoggerFactory l)
                => WriteContact<DeviceBody>(http, a, o, l, (b, ct) => p.PutDeviceAsync(userId, token, new DeviceRegistration { Platform = b.Platform, App = b.App }, ct)))
            .WithSummary("Register or refresh one push device (devices table, key userId/token).")
            .Accepts<DeviceBody>("application/json").Produces<AcceptedWrite>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest);

        contacts.MapDelete("/{userId}/devices/{token}", (string userId, string token, HttpContext http, ContactInfoPublisher p, ApiKeyAuthenticator a, IOptionsMonitor<ApiOptions> o, ILoggerFactory l)
                => WriteContact<object>(http, a, o, l, (_, ct) => p.DeleteDeviceAsync(userId, token, ct), readBody: false))
            .WithSummary("Remove one push device (writes a tombstone).")
            .Produces<AcceptedWrite>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest);

        contacts.MapPut("/{userId}/preferences", (string userId, HttpContext http, ContactInfoPublisher p, ApiKeyAuthenticator a, IOptionsMonitor<ApiOptions> o, ILoggerFactory l)
                => WriteContact<PreferencesBody>(http, a, o, l, (b, ct) => p.PutPreferencesAsync(userId, new PreferencesUpdate
                {
                    UnsubscribedAll = b.UnsubscribedAll, ChannelOrder = b.ChannelOrder, Rules = b.Rules, QuietHours = b.QuietHours,
                }, ct)))
            .WithSummary("Replace a user's notification preferences (preferences table).")
            .Accepts<PreferencesBody>("application/json").Produces<AcceptedWrite>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> WriteContact<T>(
        HttpContext http, ApiKeyAuthenticator auth, IOptionsMonitor<ApiOptions> options, ILoggerFactory loggers,
        Func<T, CancellationToken, Task<PublishReceipt>> write, bool readBody = true)
        where T : class
    {
        var logger = loggers.CreateLogger("Streaming.Api.Contacts");
        var client = auth.Authenticate(http.Request.Headers[ApiKeyAuthenticator.HeaderName]);
        if (client is null)
        {
            return Problems.Unauthorized();
        }

        if (!client.CanWriteContacts)
        {
            return Problems.Reject(logger, client, StatusCodes.Status403Forbidden, "contacts-not-allowed", "Not allowed", $"Client '{client.Name}' may not write contact information.");
        }

        T? body = null;
        if (readBody)
        {
            var (parsed, _, problem) = await RequestBodyReader.ReadAsync<T>(http, options.CurrentValue.MaxBodyBytes);
            if (problem is not null)
            {
                return problem.Value.Result;
            }

            body = parsed;
        }

        try
        {
            var receipt = await write(body!, http.RequestAborted);
            return Results.Accepted(value: new AcceptedWrite(receipt.Topic, receipt.EventId));
        }
        catch (NotificationValidationException ex)
        {
            return Problems.Invalid(logger, client, ex.Errors);
        }
        catch (NotificationPublishException ex)
        {
            ApiLog.PublishFailed(logger, client.Name, ex.Message);
            return Problems.Unavailable(http, "Kafka did not acknowledge the write; retry.");
        }
    }
}
