using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Api;
using Streaming.Contracts;
using Streaming.DeliveryLog;
using Streaming.LocalStack;
using Streaming.Producers;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>
/// The status read on the whole local platform, on each store: a request sent through the API reads delivered with its
/// provider's message ID, and one for a user who unsubscribed reads suppressed (a topology outcome, which reaches the
/// log only through the status recorder).
/// </summary>
public sealed class StatusEndToEndTests
{
    private const string Reader = "status-e2e-reader";
    private const string OptedOut = "status-e2e-unsubscribed";

    [Theory(Timeout = TestLimits.TimeoutMs)]
    [InlineData(DeliveryLogOptions.SqliteStore)]
    [InlineData(DeliveryLogOptions.CassandraStore)]
    public async Task a_request_reads_delivered_and_an_unsubscribed_users_reads_suppressed(string store)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await LocalPlatform.StartAsync(new LocalPlatformSettings { ApiPort = 0, DeliveryLogStore = store }, NullLoggerFactory.Instance, SeedAsync, ct);
        using var http = new HttpClient { BaseAddress = new Uri(stack.ApiUrl) };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticator.HeaderName, stack.DemoApiKey);

        var delivered = await SendAsync(http, Reader, ct);
        var suppressed = await SendAsync(http, OptedOut, ct);

        var sent = await StatusOnceAsync(http, delivered, NotificationStates.Delivered, ct);
        var target = Assert.Single(sent.Targets);
        Assert.Equal((Channels.Email, "s***@example.com", Outcomes.Delivered, "sendgrid", 1), (target.Channel, target.Target, target.Outcome, target.Provider, target.Attempts));
        var logged = (await stack.DeliveryLog.Log.ReadAsync(delivered, ct)).Single(r => r.Outcome == Outcomes.Delivered);
        Assert.False(string.IsNullOrEmpty(target.ProviderMessageId));
        Assert.Equal(logged.ProviderMessageId, target.ProviderMessageId);
        Assert.Equal(("demo-traffic", Reader, "social"), (sent.SourceService, sent.UserId, sent.Category));

        var held = await StatusOnceAsync(http, suppressed, NotificationStates.Suppressed, ct);
        var dropped = Assert.Single(held.Targets);
        Assert.Equal((Channels.Email, Outcomes.Suppressed, "unsubscribed", 0, (string?)null), (dropped.Channel, dropped.Outcome, dropped.Reason, dropped.Attempts, dropped.Provider));
        Assert.Equal(0, stack.Fakes.Requests.Count(r => r.EventId == suppressed));
    }

    private static async Task SeedAsync(LocalPlatform stack, CancellationToken ct)
    {
        foreach (var user in new[] { Reader, OptedOut })
        {
            await stack.Contacts.PutUserAsync(user, new UserProfileUpdate { DisplayName = "Sam", Email = $"s-{user}@example.com", Locale = "en", TimeZone = "UTC" }, ct);
        }

        await stack.Contacts.PutPreferencesAsync(OptedOut, new PreferencesUpdate { UnsubscribedAll = true }, ct);
    }

    private static async Task<string> SendAsync(HttpClient http, string user, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/v1/notifications", new
        {
            userId = user,
            category = "social",
            templateId = "new-comment",
            priority = "high",
            channels = new[] { "email" },
            parameters = new Dictionary<string, string> { ["author"] = "Ada", ["snippet"] = "Nice!" },
        }, ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AcceptedNotification>(ct))!.EventId;
    }

    /// <summary>Polls the status read until it reports <paramref name="state"/>; returns that answer.</summary>
    private static async Task<NotificationStatus> StatusOnceAsync(HttpClient http, string eventId, string state, CancellationToken ct)
    {
        NotificationStatus? last = null;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                using var response = await http.GetAsync($"/v1/notifications/{eventId}", ct);
                last = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<NotificationStatus>(ct) : null;
                return last?.State == state;
            }, TimeSpan.FromSeconds(60), $"{eventId} reads {state}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last answer: {System.Text.Json.JsonSerializer.Serialize(last)}", e);
        }

        return last!;
    }
}
