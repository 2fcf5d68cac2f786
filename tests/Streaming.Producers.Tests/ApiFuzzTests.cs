using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>
/// Property: whatever a caller sends, the API answers 202 or a 4xx with a reason, never a 5xx, and
/// only the 202s reach Kafka.
/// </summary>
public sealed class ApiFuzzTests(LocalStackFixture fx) : ApiTest(fx)
{
    private static readonly string[] Nasty =
    [
        "", " ", "\r\nBcc: victim@example.com", "a\u0000b", "\uD800", "💥", "'; DROP TABLE users; --", "{{ 7*7 }}", "{% raw %}",
        "+4915112345678", "+1", "user@example.com", "user@@example.com", "billing", "security", "marketing", "login-alert",
        "invoice-ready", "push", "sms", "email", "high", "2020-01-01T00:00:00Z", "2999-01-01T00:00:00Z", new string('x', 3000),
    ];

    private static readonly Gen<string> Strings = Gen.OneOf(Pick(Nasty), Gen.String[0, 40]);

    private static readonly Gen<object?> Values = Gen.Frequency(
        (4, Strings.Select(s => (object?)s)),
        (1, Gen.Int.Select(i => (object?)i)),
        (1, Gen.Bool.Select(b => (object?)b)),
        (1, Gen.Const((object?)null)),
        (1, Strings.Array[0, 3].Select(a => (object?)a)),
        (1, Gen.Dictionary(Pick("invoice", "amount", "a b", "", "x"), Strings)[0, 3].Select(d => (object?)d)));

    private static readonly Gen<string> Fields = Pick("userId", "category", "templateId", "parameters", "channels", "priority", "locale", "email", "phone", "sendAt", "expiresAt", "unknownField");

    // A valid request with one field replaced by anything: mostly rejected, sometimes still valid.
    private static readonly Gen<string> Mutated = Gen.Select(Fields, Values, (field, value) =>
    {
        var body = new Dictionary<string, object?> { ["userId"] = "fuzz-user", ["category"] = "billing", ["templateId"] = "invoice-ready" };
        body[field] = value;
        return JsonSerializer.Serialize(body);
    });

    private static readonly Gen<string> Bodies = Gen.Frequency(
        (4, Mutated),
        // Objects over the real field names (plus unknown ones) with values of any type.
        (6, Gen.Dictionary(
            Fields,
            Values)[0, 10].Select(d => JsonSerializer.Serialize(d))),
        // Arbitrary text, including truncated JSON.
        (2, Gen.String[0, 200]),
        (1, Pick("[]", "null", "42", "\"text\"", "{", "{\"userId\":", "{\"userId\":\"u\",\"userId\":\"v\"}")));

    private static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task random_bodies_get_202_or_a_4xx_with_a_reason_never_a_5xx_and_only_202s_reach_kafka()
    {
        var accepted = 0;
        var statuses = new Dictionary<HttpStatusCode, int>();
        await Bodies.SampleAsync(async body =>
        {
            var status = await Post(Encoding.UTF8.GetBytes(body));
            lock (statuses)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                accepted += status == HttpStatusCode.Accepted ? 1 : 0;
            }

            Assert.True((int)status < 500, $"{status} for body {body}");
        }, iter: 400, threads: 1);

        Assert.Equal(accepted, Fx.RecordCount(Api.Topic));
        // The generator must reach both sides, or the property proves nothing.
        Assert.True(accepted > 0 && statuses.GetValueOrDefault(HttpStatusCode.BadRequest) > 0, "statuses seen: " + string.Join(", ", statuses));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task invalid_utf8_and_wrong_content_types_are_rejected_with_a_reason()
    {
        Assert.Equal(HttpStatusCode.BadRequest, await Post([0x7B, 0x22, 0x75, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D])); // {"u":"<invalid>"}
        Assert.Equal(HttpStatusCode.BadRequest, await Post(Encoding.UTF8.GetBytes("{\"userId\":\"\uD800\"}")));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, await Post(Encoding.UTF8.GetBytes("userId=u1"), "application/x-www-form-urlencoded"));
        Assert.Equal(0, Fx.RecordCount(Api.Topic));
    }

    private async Task<HttpStatusCode> Post(byte[] body, string contentType = "application/json")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/notifications") { Content = content };
        request.Headers.Add("X-Api-Key", ApiHarness.AccountKey);
        using var response = await Api.Http.SendAsync(request);
        if ((int)response.StatusCode >= 400)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.Contains("\"code\"", text); // every rejection says why
        }

        return response.StatusCode;
    }
}
