using System.Net;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>Who may send what: API keys, category allow-lists and per-client rate limits.</summary>
public sealed class ApiAccessTests(LocalStackFixture fx) : ApiTest(fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task missing_or_unknown_api_key_is_401_with_a_problem_body()
    {
        await ProblemAssert.IsProblemAsync(await Api.PostAsync(ApiHarness.ValidBody(), key: null), HttpStatusCode.Unauthorized, "unauthorized");
        await ProblemAssert.IsProblemAsync(await Api.PostAsync(ApiHarness.ValidBody(), key: "not-a-key"), HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(0, Fx.RecordCount(Api.Topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task category_outside_the_clients_allow_list_is_403()
    {
        var body = new { userId = "u1", category = "security", templateId = "login-alert" };
        var problem = await ProblemAssert.IsProblemAsync(await Api.PostAsync(body, ApiHarness.OrdersKey), HttpStatusCode.Forbidden, "category-not-allowed");
        Assert.Contains("security", problem.GetProperty("detail").GetString());
        Assert.Equal(0, Fx.RecordCount(Api.Topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_client_over_its_rate_limit_gets_429_with_retry_after()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 5; i++)
        {
            var r = await Api.PostAsync(ApiHarness.ValidBody($"burst-{i}"), ApiHarness.BurstKey);
            statuses.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = r;
            }
        }

        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.Accepted), Fx.RecordCount(Api.Topic));
    }
}
