using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Streaming.Api;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>The API notes each request Kafka acknowledged in the delivery log, and never fails a request over it.</summary>
public sealed class AcceptedRowTests(LocalStackFixture fx) : ApiTest(fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task an_accepted_request_gets_an_accepted_row_for_its_client()
    {
        var before = DateTimeOffset.UtcNow;
        using var response = await Api.PostAsync(ApiHarness.ValidBody("user-42"), ApiHarness.OrdersKey);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var eventId = (await response.Content.ReadFromJsonAsync<AcceptedNotification>(TestContext.Current.CancellationToken))!.EventId;

        var row = Assert.Single(Api.Log.Appends);
        Assert.Equal((eventId, Outcomes.NoChannel, "", Outcomes.Accepted, 0), (row.EventId, row.Channel, row.Target, row.Outcome, row.Attempt));
        Assert.Equal(("orders-service", "user-42", "billing"), (row.SourceService, row.UserId, row.Category));
        Assert.InRange(row.RequestedAt, before.AddSeconds(-1), row.OccurredAt);
        Assert.Equal(1, Fx.RecordCount(Api.Topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_log_that_refuses_the_accepted_row_still_answers_202_and_counts_the_failure()
    {
        long failures = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == "Streaming.Api" && i.Name == "streaming.api.delivery_log.errors")
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "operation", Value: "append_accepted" })
                {
                    Interlocked.Add(ref failures, value);
                }
            }
        });
        listener.Start();
        Api.Log.FailAppends = true;

        using var response = await Api.PostAsync(ApiHarness.ValidBody());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, Fx.RecordCount(Api.Topic));
        Assert.Equal(1, Api.Log.FailedAppends);
        Assert.True(Interlocked.Read(ref failures) >= 1, "the failed append is counted");
        Assert.Empty(Api.Log.Appends);
    }
}
