using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>POST /v1/notifications: what an accepted request writes, and that an invalid or oversized one writes nothing.</summary>
public sealed class NotificationEndpointTests(LocalStackFixture fx) : ApiTest(fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task valid_request_gets_202_with_event_id_and_one_avro_event_whose_schema_id_resolves()
    {
        var response = await Api.PostAsync(ApiHarness.ValidBody("api-user-1"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var eventId = accepted.GetProperty("eventId").GetString();
        Assert.False(string.IsNullOrEmpty(eventId));

        var records = Fx.Read<NotificationRequested>(Api.Topic, 1);
        var (raw, evt) = Assert.Single(records);
        Assert.Equal("api-user-1", raw.Message.Key);
        Assert.Equal(0, raw.Message.Value![0]); // Confluent wire format: magic byte
        var schemaId = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(raw.Message.Value.AsSpan(1, 4));
        using var registry = Fx.NewRegistryClient();
        var schema = await registry.GetSchemaAsync(schemaId);
        Assert.Contains("NotificationRequested", schema.SchemaString);
        Assert.Equal(eventId, evt!.eventId);
        Assert.Equal("account-service", evt.sourceService); // the calling client, not the API
        Assert.Equal(["email", "push"], evt.channels);
        Assert.Equal("INV-1", evt.templateParameters["invoice"]);
        Assert.Equal("account-service", Encoding.UTF8.GetString(raw.Message.Headers.GetLastBytes(HeaderNames.SourceService)));
    }

    public static TheoryData<string, string, string> InvalidBodies() => new()
    {
        { """{"category":"billing","templateId":"invoice-ready"}""", "missing-recipient", "userId is required" },
        { """{"userId":"u1","category":"gossip","templateId":"invoice-ready"}""", "unknown-category", "Unknown category 'gossip'" },
        { """{"userId":"u1","category":"billing","templateId":"nope"}""", "unknown-template", "Unknown template 'nope'" },
        { """{"userId":"u1","category":"billing","templateId":"invoice-ready","phone":"0151 1234"}""", "invalid-phone", "E.164" },
        { """{"userId":"u1","category":"billing","templateId":"invoice-ready","phone":"+1555"}""", "invalid-phone", "E.164" },
        { """{"userId":"u1","category":"billing","templateId":"invoice-ready","email":"not-an-address"}""", "invalid-email", "email is not a valid address" },
        { """{"userId":"u1","category":"billing","templateId":"invoice-ready","email":"a@b.com\r\nBcc: x@y.com"}""", "invalid-email", "email is not a valid address" },
        { """{"userId":"u1","category":"billing","templateId":"invoice-ready","sendAt":"2020-01-01T00:00:00Z"}""", "send-at-in-past", "in the past" },
        { """{"userId":"u1","category":"billing","templateId":"invoice-ready","channels":["pigeon"]}""", "unknown-channel", "Unknown channel 'pigeon'" },
        { """{"userId":"u1","category":"billing","templateId":"invoice-ready","priority":"urgent"}""", "invalid-priority", "priority must be one of" },
        { """{"userId":"u1","category":"billing","templateId":"login-alert"}""", "template-category-mismatch", "belongs to category 'security'" },
        { """{"userId":"u1","category":"billing","templateId":"invoice-ready","parameters":{"x":"line\nbreak"}}""", "control-characters", "control characters" },
        { """{"userId":"a/b","category":"billing","templateId":"invoice-ready"}""", "invalid-user-id", "userId must be" },
        { """{"userId":"u1","category":"billing","templateId":"invoice-ready","usrId":"typo"}""", "malformed-json", "usrId" },
        { """{"userId":42,"category":"billing","templateId":"invoice-ready"}""", "malformed-json", "$.userId" },
        { """{"userId":"u1",""", "malformed-json", "" },
    };

    [Theory(Timeout = TestLimits.TimeoutMs)]
    [MemberData(nameof(InvalidBodies))]
    public async Task invalid_request_is_400_with_a_reason_and_nothing_reaches_kafka(string json, string code, string message)
    {
        var response = await Api.PostJsonAsync(json);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Contains(message, problem.GetProperty("detail").GetString());
        Assert.Equal(0, Fx.RecordCount(Api.Topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task body_over_the_limit_is_413_and_nothing_reaches_kafka()
    {
        var json = JsonSerializer.Serialize(new
        {
            userId = "u1", category = "billing", templateId = "invoice-ready",
            parameters = new Dictionary<string, string> { ["big"] = new string('x', 9000) },
        });

        await ProblemAssert.IsProblemAsync(await Api.PostJsonAsync(json), HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        Assert.Equal(0, Fx.RecordCount(Api.Topic));
    }
}
