using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

public sealed class ApiTests(LocalStackFixture fx) : IAsyncLifetime
{
    private ApiHarness api = null!;

    public async ValueTask InitializeAsync() => api = await ApiHarness.StartAsync(fx);

    public ValueTask DisposeAsync() => api.DisposeAsync();

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task valid_request_gets_202_with_event_id_and_one_avro_event_whose_schema_id_resolves()
    {
        var response = await api.PostAsync(ApiHarness.ValidBody("api-user-1"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var eventId = accepted.GetProperty("eventId").GetString();
        Assert.False(string.IsNullOrEmpty(eventId));

        var records = fx.Read<NotificationRequested>(api.Topic, 1);
        var (raw, evt) = Assert.Single(records);
        Assert.Equal("api-user-1", raw.Message.Key);
        Assert.Equal(0, raw.Message.Value![0]); // Confluent wire format: magic byte
        var schemaId = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(raw.Message.Value.AsSpan(1, 4));
        using var registry = fx.NewRegistryClient();
        var schema = await registry.GetSchemaAsync(schemaId);
        Assert.Contains("NotificationRequested", schema.SchemaString);
        Assert.Equal(eventId, evt!.eventId);
        Assert.Equal("account-service", evt.sourceService); // the calling client, not the API
        Assert.Equal(["email", "push"], evt.channels);
        Assert.Equal("INV-1", evt.templateParameters["invoice"]);
        Assert.Equal("account-service", Encoding.UTF8.GetString(raw.Message.Headers.GetLastBytes(HeaderNames.SourceService)));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task same_idempotency_key_returns_the_same_event_id_and_writes_one_event()
    {
        var first = await api.PostAsync(ApiHarness.ValidBody("idem-user"), idempotencyKey: "order-42-paid");
        var second = await api.PostAsync(ApiHarness.ValidBody("idem-user"), idempotencyKey: "order-42-paid");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var b = await second.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(a.GetProperty("eventId").GetString(), b.GetProperty("eventId").GetString());
        Assert.True(b.GetProperty("duplicate").GetBoolean());

        // A third, different request proves the topic is being read up to date before we count.
        var other = await api.PostAsync(ApiHarness.ValidBody("idem-user-2"));
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.Equal(2, fx.RecordCount(api.Topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task idempotency_key_reused_with_another_body_is_422_and_writes_nothing_more()
    {
        var first = await api.PostAsync(ApiHarness.ValidBody("reuse-a"), idempotencyKey: "k-reused");
        var second = await api.PostAsync(ApiHarness.ValidBody("reuse-b"), idempotencyKey: "k-reused");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await AssertProblem(second, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal(1, fx.RecordCount(api.Topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task missing_or_unknown_api_key_is_401_with_a_problem_body()
    {
        await AssertProblem(await api.PostAsync(ApiHarness.ValidBody(), key: null), HttpStatusCode.Unauthorized, "unauthorized");
        await AssertProblem(await api.PostAsync(ApiHarness.ValidBody(), key: "not-a-key"), HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(0, fx.RecordCount(api.Topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task category_outside_the_clients_allow_list_is_403()
    {
        var body = new { userId = "u1", category = "security", templateId = "login-alert" };
        var problem = await AssertProblem(await api.PostAsync(body, ApiHarness.OrdersKey), HttpStatusCode.Forbidden, "category-not-allowed");
        Assert.Contains("security", problem.GetProperty("detail").GetString());
        Assert.Equal(0, fx.RecordCount(api.Topic));
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
        var response = await PostRawAsync(json);

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, code);
        Assert.Contains(message, problem.GetProperty("detail").GetString());
        Assert.Equal(0, fx.RecordCount(api.Topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task body_over_the_limit_is_413_and_nothing_reaches_kafka()
    {
        var json = JsonSerializer.Serialize(new
        {
            userId = "u1", category = "billing", templateId = "invoice-ready",
            parameters = new Dictionary<string, string> { ["big"] = new string('x', 9000) },
        });

        await AssertProblem(await PostRawAsync(json), HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        Assert.Equal(0, fx.RecordCount(api.Topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_client_over_its_rate_limit_gets_429_with_retry_after()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 5; i++)
        {
            var r = await api.PostAsync(ApiHarness.ValidBody($"burst-{i}"), ApiHarness.BurstKey);
            statuses.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = r;
            }
        }

        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        await AssertProblem(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.Accepted), fx.RecordCount(api.Topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task contact_endpoints_write_users_devices_preferences_and_a_device_tombstone()
    {
        // The contact tables are platform-wide topics; find this test's records by its unique user.
        var user = "contact-" + Guid.NewGuid().ToString("N")[..8];
        var token = "aabbccddeeff00112233445566778899";
        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Put, $"/v1/users/{user}", new { displayName = "Ada", email = "ada@example.com", phone = "+14155550100", locale = "de-DE", timeZone = "Europe/Berlin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Put, $"/v1/users/{user}/devices/{token}", new { platform = "ios", app = "com.example.app" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Delete, $"/v1/users/{user}/devices/{token}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Put, $"/v1/users/{user}/preferences", new
        {
            unsubscribedAll = false,
            channelOrder = new[] { "push", "email" },
            rules = new[] { new { category = "marketing", channel = "sms", optedIn = false } },
            quietHours = new { start = "22:00", end = "07:00", timeZone = "Europe/Berlin" },
        })).StatusCode);

        var profile = fx.Read<UserProfile>(Topics.Users, int.MaxValue, TimeSpan.FromSeconds(3)).Single(r => r.Raw.Message.Key == user).Value!;
        Assert.Equal("Europe/Berlin", profile.timeZone);
        var devices = fx.ReadRaw(Topics.Devices, int.MaxValue, TimeSpan.FromSeconds(3)).Where(r => r.Message.Key == $"{user}/{token}").ToList();
        Assert.Equal(2, devices.Count);
        Assert.NotNull(devices[0].Message.Value);
        Assert.Null(devices[1].Message.Value); // tombstone removes the device from the compacted table
        var prefs = fx.Read<UserPreferences>(Topics.Preferences, int.MaxValue, TimeSpan.FromSeconds(3)).Single(r => r.Raw.Message.Key == user).Value!;
        Assert.Equal("22:00", prefs.quietHours.start);
        Assert.False(Assert.Single(prefs.rules).optedIn);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task contact_writes_are_validated_and_need_the_contacts_permission()
    {
        await AssertProblem(await Send(HttpMethod.Put, "/v1/users/u1", new { timeZone = "Mars/Olympus" }), HttpStatusCode.BadRequest, "invalid-time-zone");
        await AssertProblem(await Send(HttpMethod.Put, "/v1/users/u1/devices/aabbccddeeff0011", new { platform = "symbian", app = "x" }), HttpStatusCode.BadRequest, "invalid-platform");
        await AssertProblem(await Send(HttpMethod.Put, "/v1/users/u1/preferences", new { quietHours = new { start = "25:00", end = "07:00", timeZone = "UTC" } }), HttpStatusCode.BadRequest, "invalid-quiet-hours");
        await AssertProblem(await Send(HttpMethod.Put, "/v1/users/u1", new { email = "x@example.com" }, ApiHarness.OrdersKey), HttpStatusCode.Forbidden, "contacts-not-allowed");
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task openapi_document_describes_every_endpoint()
    {
        var doc = await api.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/notifications", out var send));
        Assert.True(send.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/v1/users/{userId}/devices/{token}", out var device));
        Assert.True(device.TryGetProperty("delete", out _));
        Assert.True(paths.TryGetProperty("/v1/users/{userId}/preferences", out _));
    }

    private Task<HttpResponseMessage> PostRawAsync(string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/notifications") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", ApiHarness.AccountKey);
        return api.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body, string key = ApiHarness.AccountKey)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", key);
        return api.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
