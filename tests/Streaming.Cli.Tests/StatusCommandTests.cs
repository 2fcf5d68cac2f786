using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Api;
using Streaming.LocalStack;
using Streaming.Testing;

namespace Streaming.Cli.Tests;

/// <summary>`streaming status` against a running local platform.</summary>
public sealed class StatusCommandTests
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task status_prints_the_outcome_of_a_sent_notification_and_exits_1_for_an_unknown_one()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await LocalPlatform.StartAsync(new LocalPlatformSettings { ApiPort = 0 }, NullLoggerFactory.Instance, (s, t) => DemoData.SeedAsync(s.Contacts, 3, t), ct);
        using var http = new HttpClient { BaseAddress = new Uri(stack.ApiUrl) };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticator.HeaderName, stack.DemoApiKey);
        using var sent = await http.PostAsJsonAsync("/v1/notifications", new
        {
            userId = DemoData.UserId(1),
            category = "billing",
            templateId = "invoice-ready",
            priority = "high",
            channels = new[] { "email" },
            parameters = new Dictionary<string, string> { ["invoice"] = "INV-1", ["amount"] = "9.99 EUR" },
        }, ct);
        var eventId = (await sent.Content.ReadFromJsonAsync<AcceptedNotification>(ct))!.EventId;
        var query = new StatusQuery(new Uri(stack.ApiUrl), stack.DemoApiKey);

        var plain = "";
        await Eventually.TrueAsync(async () =>
        {
            var output = new StringWriter();
            Assert.Equal(StatusQuery.Found, await query.RunAsync(eventId, StatusFormat.Plain, output, new StringWriter(), ct));
            plain = output.ToString();
            return plain.Contains("state      delivered", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60), "status prints delivered");
        var row = Assert.Single(plain.Split(Environment.NewLine), l => l.StartsWith("email ", StringComparison.Ordinal));
        Assert.Contains("u***@example.com", row, StringComparison.Ordinal);
        Assert.Contains("sendgrid", row, StringComparison.Ordinal);
        Assert.DoesNotContain("user1@example.com", plain, StringComparison.Ordinal);
        Assert.Contains("sent by    demo-traffic", plain, StringComparison.Ordinal);

        var json = new StringWriter();
        Assert.Equal(StatusQuery.Found, await query.RunAsync(eventId, StatusFormat.Json, json, new StringWriter(), ct));
        Assert.Equal("delivered", JsonDocument.Parse(json.ToString()).RootElement.GetProperty("state").GetString());

        var errors = new StringWriter();
        Assert.Equal(StatusQuery.Unknown, await query.RunAsync("evt-never-sent-0001", StatusFormat.Plain, new StringWriter(), errors, ct));
        Assert.Contains("'evt-never-sent-0001' is unknown", Assert.Single(errors.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

        var refused = new StringWriter();
        Assert.Equal(StatusQuery.Unanswered, await new StatusQuery(new Uri(stack.ApiUrl), "wrong-key").RunAsync(eventId, StatusFormat.Plain, new StringWriter(), refused, ct));
        Assert.Contains("401", refused.ToString(), StringComparison.Ordinal);
    }
}
