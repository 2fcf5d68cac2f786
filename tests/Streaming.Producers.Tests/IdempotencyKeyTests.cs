using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>The Idempotency-Key header: a retried request writes one event; a key reused with another body is refused.</summary>
public sealed class IdempotencyKeyTests(LocalStackFixture fx) : ApiTest(fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task same_idempotency_key_returns_the_same_event_id_and_writes_one_event()
    {
        var first = await Api.PostAsync(ApiHarness.ValidBody("idem-user"), idempotencyKey: "order-42-paid");
        var second = await Api.PostAsync(ApiHarness.ValidBody("idem-user"), idempotencyKey: "order-42-paid");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var b = await second.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(a.GetProperty("eventId").GetString(), b.GetProperty("eventId").GetString());
        Assert.True(b.GetProperty("duplicate").GetBoolean());

        // A third, different request proves the topic is being read up to date before we count.
        var other = await Api.PostAsync(ApiHarness.ValidBody("idem-user-2"));
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.Equal(2, Fx.RecordCount(Api.Topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task idempotency_key_reused_with_another_body_is_422_and_writes_nothing_more()
    {
        var first = await Api.PostAsync(ApiHarness.ValidBody("reuse-a"), idempotencyKey: "k-reused");
        var second = await Api.PostAsync(ApiHarness.ValidBody("reuse-b"), idempotencyKey: "k-reused");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal(1, Fx.RecordCount(Api.Topic));
    }
}
