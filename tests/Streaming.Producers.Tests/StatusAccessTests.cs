using System.Net;
using System.Net.Http.Json;
using Streaming.Api;
using Streaming.Contracts;
using Streaming.DeliveryLog;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>Who may read a notification's status, and what a bad or unanswerable read gets.</summary>
public sealed class StatusAccessTests(LocalStackFixture fx) : ApiTest(fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_status_read_without_a_valid_key_is_401()
    {
        await ProblemAssert.IsProblemAsync(await Api.GetStatusAsync("evt-00000001", key: null), HttpStatusCode.Unauthorized, "unauthorized");
        await ProblemAssert.IsProblemAsync(await Api.GetStatusAsync("evt-00000001", key: "not-a-key"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory(Timeout = TestLimits.TimeoutMs)]
    [InlineData("short")]
    [InlineData("has.dots.in.it")]
    [InlineData("spaces are not ids")]
    public async Task an_event_id_of_the_wrong_shape_is_400(string eventId)
    {
        var problem = await ProblemAssert.IsProblemAsync(await Api.GetStatusAsync(eventId), HttpStatusCode.BadRequest, "invalid-event-id");
        Assert.Equal(EventIds.Rule, problem.GetProperty("detail").GetString());
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task an_unknown_event_id_is_404()
        => await ProblemAssert.IsProblemAsync(await Api.GetStatusAsync("evt-never-sent-0001"), HttpStatusCode.NotFound, "notification-not-found");

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task another_clients_notification_answers_404_like_an_unknown_one()
    {
        var eventId = await SendAsOrdersServiceAsync();

        var theirs = await ProblemAssert.IsProblemAsync(await Api.GetStatusAsync(eventId, ApiHarness.AccountKey), HttpStatusCode.NotFound, "notification-not-found");
        var unknown = await ProblemAssert.IsProblemAsync(await Api.GetStatusAsync("evt-never-sent-0002", ApiHarness.AccountKey), HttpStatusCode.NotFound, "notification-not-found");
        Assert.Equal(unknown.GetProperty("title").GetString(), theirs.GetProperty("title").GetString());
        Assert.DoesNotContain("orders-service", theirs.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task the_sender_and_a_client_allowed_to_read_all_statuses_read_it()
    {
        var eventId = await SendAsOrdersServiceAsync();

        foreach (var key in new[] { ApiHarness.OrdersKey, ApiHarness.SupportKey })
        {
            using var response = await Api.GetStatusAsync(eventId, key);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var status = await response.Content.ReadFromJsonAsync<NotificationStatus>(TestContext.Current.CancellationToken);
            Assert.Equal((eventId, "orders-service", NotificationStates.Accepted), (status!.EventId, status.SourceService, status.State));
        }
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task an_unreadable_log_is_503_with_retry_after()
    {
        await Api.Log.AppendAsync(new DeliveryLogEntry("evt-log-down-0001", Outcomes.NoChannel, "", Outcomes.Accepted, 0, "u1", SourceService: "account-service"), TestContext.Current.CancellationToken);
        Api.Log.FailReads = true;

        using var response = await Api.GetStatusAsync("evt-log-down-0001");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "delivery-log-unavailable");
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
    }

    private async Task<string> SendAsOrdersServiceAsync()
    {
        using var sent = await Api.PostAsync(ApiHarness.ValidBody(), ApiHarness.OrdersKey);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        return (await sent.Content.ReadFromJsonAsync<AcceptedNotification>(TestContext.Current.CancellationToken))!.EventId;
    }
}
