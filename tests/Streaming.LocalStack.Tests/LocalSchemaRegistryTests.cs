using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Microsoft.Extensions.Logging;
using Streaming.Contracts;
using ConfluentSchema = Confluent.SchemaRegistry.Schema;

namespace Streaming.LocalStack.Tests;

/// <summary>
/// The local registry, driven by Confluent's own client and Avro serdes: if these pass, hosts can point
/// their real SchemaRegistryConfig at it.
/// </summary>
public sealed class LocalSchemaRegistryTests : IAsyncLifetime
{
    // Deadline of every registry call (the Confluent client takes no CancellationToken): the registry
    // is local, so anything slower is a hang and must fail the test rather than stall the run.
    private const int RequestDeadlineMs = 5_000;

    private const string UserV1 = """
        {"type":"record","name":"User","namespace":"test","fields":[
          {"name":"id","type":"string"},
          {"name":"name","type":"string"}]}
        """;

    private const string UserWithDefaultedEmail = """
        {"type":"record","name":"User","namespace":"test","fields":[
          {"name":"id","type":"string"},
          {"name":"name","type":"string"},
          {"name":"email","type":["null","string"],"default":null}]}
        """;

    private const string UserWithRequiredEmail = """
        {"type":"record","name":"User","namespace":"test","fields":[
          {"name":"id","type":"string"},
          {"name":"name","type":"string"},
          {"name":"email","type":"string"}]}
        """;

    private const string UserWithoutName = """
        {"type":"record","name":"User","namespace":"test","fields":[
          {"name":"id","type":"string"}]}
        """;

    private const string UserWithIntName = """
        {"type":"record","name":"User","namespace":"test","fields":[
          {"name":"id","type":"string"},
          {"name":"name","type":"int"}]}
        """;

    private readonly RecordingLoggerProvider logs = new(TestContext.Current.TestOutputHelper);
    private ILoggerFactory loggerFactory = null!;
    private LocalSchemaRegistry registry = null!;
    private CachedSchemaRegistryClient client = null!;

    public async ValueTask InitializeAsync()
    {
        loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        registry = await LocalSchemaRegistry.StartAsync(loggerFactory: loggerFactory, ct: TestContext.Current.CancellationToken);
        client = NewClient();
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await registry.DisposeAsync();
        loggerFactory.Dispose();
    }

    [Fact]
    public async Task avro_serializer_writes_magic_byte_and_a_schema_id_that_resolves_and_the_deserializer_reads_it_back()
    {
        var original = SampleRequest();
        var context = new SerializationContext(MessageComponentType.Value, Topics.Requested);

        var bytes = await new AvroSerializer<NotificationRequested>(client, AvroSerdes.SerializerConfig()).SerializeAsync(original, context);

        Assert.Equal(0, bytes[0]);
        var id = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4));
        var registered = await NewClient().GetSchemaAsync(id);
        Assert.Equal(NotificationRequested._SCHEMA.ToString(), Canonical(registered.SchemaString));
        Assert.Equal([$"{Topics.Requested}-value"], await client.GetAllSubjectsAsync());

        var read = await new AvroDeserializer<NotificationRequested>(NewClient(), AvroSerdes.DeserializerConfig()).DeserializeAsync(bytes, false, context);
        AssertSameRequest(original, read);
    }

    [Fact]
    public async Task cached_serdes_write_confluents_exact_bytes_under_the_same_subject_and_read_each_others_output()
    {
        var original = SampleRequest();
        var context = new SerializationContext(MessageComponentType.Value, Topics.Requested);

        var confluentBytes = await new AvroSerializer<NotificationRequested>(client, AvroSerdes.SerializerConfig()).SerializeAsync(original, context);
        var cachedBytes = await AvroSerdes.Serializer<NotificationRequested>(NewClient()).SerializeAsync(original, context);
        var cachedSyncBytes = AvroSerdes.Serializer<NotificationRequested>(NewClient()).Serialize(original, context);

        Assert.Equal(confluentBytes, cachedBytes);
        Assert.Equal(confluentBytes, cachedSyncBytes);
        Assert.Equal([$"{Topics.Requested}-value"], await client.GetAllSubjectsAsync());
        AssertSameRequest(original, await AvroSerdes.Deserializer<NotificationRequested>(NewClient()).DeserializeAsync(confluentBytes, false, context));
        AssertSameRequest(original, AvroSerdes.Deserializer<NotificationRequested>(NewClient()).Deserialize(confluentBytes, false, context));
        AssertSameRequest(original, await new AvroDeserializer<NotificationRequested>(NewClient(), AvroSerdes.DeserializerConfig()).DeserializeAsync(cachedBytes, false, context));
        var deserializer = AvroSerdes.Deserializer<NotificationRequested>(NewClient());
        AssertSameRequest(original, await deserializer.DeserializeAsync(cachedBytes, false, context));
        Assert.Equal(0, deserializer.Fallbacks);
    }

    [Fact]
    public async Task cached_deserializer_resolves_an_older_writer_schema_and_fails_bad_bytes_with_confluents_error()
    {
        // An older producer's schema: no priority and no channels (the reader's defaults fill them in).
        var current = (global::Avro.RecordSchema)NotificationRequested._SCHEMA;
        var json = System.Text.Json.Nodes.JsonNode.Parse(current.ToString())!;
        var fields = json["fields"]!.AsArray();
        foreach (var name in new[] { "priority", "channels" })
        {
            fields.Remove(fields.Single(f => (string?)f!["name"] == name));
        }

        var older = (global::Avro.RecordSchema)global::Avro.Schema.Parse(json.ToJsonString());
        Assert.Equal(current.Fields.Count - 2, older.Fields.Count);
        var record = new global::Avro.Generic.GenericRecord(older);
        var sample = SampleRequest();
        foreach (var field in older.Fields)
        {
            var value = sample.Get(current.Fields.Single(f => f.Name == field.Name).Pos);
            record.Add(field.Name, value is IDictionary<string, string> map ? map.ToDictionary(kv => kv.Key, object (kv) => kv.Value) : value);
        }

        var context = new SerializationContext(MessageComponentType.Value, "older-producer");
        var bytes = await new AvroSerializer<global::Avro.Generic.GenericRecord>(client, AvroSerdes.SerializerConfig()).SerializeAsync(record, context);
        var deserializer = AvroSerdes.Deserializer<NotificationRequested>(NewClient());

        var read = await deserializer.DeserializeAsync(bytes, false, context);

        Assert.Equal((sample.eventId, "normal", 0), (read.eventId, read.priority, read.channels.Count));
        Assert.Equal(sample.templateParameters, read.templateParameters);
        Assert.Equal(0, deserializer.Fallbacks); // resolved by the cached reader, not by Confluent's

        // An unknown schema ID and a truncated body: the same exception type as Confluent's own deserializer.
        var confluent = new AvroDeserializer<NotificationRequested>(NewClient(), AvroSerdes.DeserializerConfig());
        byte[][] bad = [[0, 0, 0, 0x7f, 0x7f, 1, 2, 3], bytes[..12], [1, 2, 3]];
        foreach (var b in bad)
        {
            var expected = await Record.ExceptionAsync(() => confluent.DeserializeAsync(b, false, context));
            var actual = await Record.ExceptionAsync(() => deserializer.DeserializeAsync(b, false, context));
            Assert.NotNull(expected);
            Assert.Equal(expected.GetType(), actual?.GetType());
            Assert.Equal(expected.Message, actual!.Message);
        }

        Assert.Equal(bad.Length, deserializer.Fallbacks);
    }

    [Fact]
    public async Task default_serializer_config_probes_associations_gets_404_and_falls_back_to_the_topic_subject()
    {
        var original = SampleRequest();
        var context = new SerializationContext(MessageComponentType.Value, Topics.Requested);

        var bytes = await new AvroSerializer<NotificationRequested>(client, new AvroSerializerConfig()).SerializeAsync(original, context);
        var read = await new AvroDeserializer<NotificationRequested>(NewClient(), new AvroDeserializerConfig()).DeserializeAsync(bytes, false, context);

        AssertSameRequest(original, read);
        Assert.Equal([$"{Topics.Requested}-value"], await client.GetAllSubjectsAsync());
        Assert.Contains(logs.Lines, l => l.StartsWith($"GET /associations/resources/-/{Topics.Requested}", StringComparison.Ordinal) && l.EndsWith("-> 404", StringComparison.Ordinal));
    }

    [Fact]
    public async Task registering_the_same_schema_twice_returns_the_same_id_even_from_another_client_or_spelling()
    {
        var id = await client.RegisterSchemaAsync("users-value", Avro(UserV1));

        // Fresh clients: CachedSchemaRegistryClient would otherwise answer from its own cache.
        Assert.Equal(id, await NewClient().RegisterSchemaAsync("users-value", Avro(UserV1)));
        Assert.Equal(id, await NewClient().RegisterSchemaAsync("users-value", Avro(UserV1.Replace("\n", " ", StringComparison.Ordinal).Replace("  ", "", StringComparison.Ordinal))));
        Assert.Equal([1], await client.GetSubjectVersionsAsync("users-value"));

        // Same schema under another subject shares the global id, like Confluent.
        Assert.Equal(id, await NewClient().RegisterSchemaAsync("other-value", Avro(UserV1)));
        var found = await NewClient().LookupSchemaAsync("other-value", Avro(UserV1), ignoreDeletedSchemas: true);
        Assert.Equal((id, 1, "other-value"), (found.Id, found.Version, found.Subject));
    }

    [Fact]
    public async Task subjects_versions_and_latest_are_listed()
    {
        var first = await client.RegisterSchemaAsync("users-value", Avro(UserV1));
        var second = await client.RegisterSchemaAsync("users-value", Avro(UserWithDefaultedEmail));
        await client.RegisterSchemaAsync("devices-value", Avro(UserV1));

        Assert.NotEqual(first, second);
        Assert.Equal(["devices-value", "users-value"], await client.GetAllSubjectsAsync());
        Assert.Equal([1, 2], await client.GetSubjectVersionsAsync("users-value"));

        var latest = await client.GetLatestSchemaAsync("users-value");
        Assert.Equal(("users-value", 2, second), (latest.Subject, latest.Version, latest.Id));
        Assert.Equal(Canonical(UserWithDefaultedEmail), Canonical(latest.SchemaString));
        Assert.Equal(SchemaType.Avro, latest.SchemaType);

        var v1 = await client.GetRegisteredSchemaAsync("users-value", 1);
        Assert.Equal((1, first), (v1.Version, v1.Id));
        Assert.Equal(Canonical(UserV1), Canonical(v1.SchemaString));
    }

    [Fact]
    public async Task backward_accepts_a_new_field_with_a_default_as_version_2()
    {
        Assert.Equal(Compatibility.Backward, await client.GetCompatibilityAsync());
        await client.RegisterSchemaAsync("users-value", Avro(UserV1));

        Assert.True(await client.IsCompatibleAsync("users-value", Avro(UserWithDefaultedEmail)));
        await client.RegisterSchemaAsync("users-value", Avro(UserWithDefaultedEmail));

        Assert.Equal(2, (await client.GetLatestSchemaAsync("users-value")).Version);
    }

    [Fact]
    public async Task backward_rejects_a_new_field_without_default_with_409()
    {
        await client.RegisterSchemaAsync("users-value", Avro(UserV1));

        Assert.False(await client.IsCompatibleAsync("users-value", Avro(UserWithRequiredEmail)));
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("users-value", Avro(UserWithRequiredEmail)));

        Assert.Equal(HttpStatusCode.Conflict, error.Status);
        Assert.Equal(409, error.ErrorCode);
        Assert.Contains("READER_FIELD_MISSING_DEFAULT_VALUE", error.Message, StringComparison.Ordinal);
        Assert.Equal([1], await client.GetSubjectVersionsAsync("users-value"));
    }

    [Fact]
    public async Task backward_accepts_removing_a_field()
    {
        await client.RegisterSchemaAsync("users-value", Avro(UserV1));

        Assert.True(await client.IsCompatibleAsync("users-value", Avro(UserWithoutName)));
        await client.RegisterSchemaAsync("users-value", Avro(UserWithoutName));

        Assert.Equal([1, 2], await client.GetSubjectVersionsAsync("users-value"));
    }

    [Fact]
    public async Task backward_rejects_changing_a_field_from_string_to_int()
    {
        await client.RegisterSchemaAsync("users-value", Avro(UserV1));

        Assert.False(await client.IsCompatibleAsync("users-value", Avro(UserWithIntName)));
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("users-value", Avro(UserWithIntName)));

        Assert.Equal((HttpStatusCode.Conflict, 409), (error.Status, error.ErrorCode));
        Assert.Contains("TYPE_MISMATCH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task compatibility_none_on_the_subject_allows_a_breaking_change()
    {
        await client.RegisterSchemaAsync("users-value", Avro(UserV1));

        Assert.Equal(Compatibility.None, await client.UpdateCompatibilityAsync(Compatibility.None, "users-value"));
        Assert.Equal(Compatibility.None, await client.GetCompatibilityAsync("users-value"));
        Assert.True(await client.IsCompatibleAsync("users-value", Avro(UserWithIntName)));
        await client.RegisterSchemaAsync("users-value", Avro(UserWithIntName));

        Assert.Equal([1, 2], await client.GetSubjectVersionsAsync("users-value"));
        Assert.Equal(Compatibility.Backward, await client.GetCompatibilityAsync());
    }

    [Fact]
    public async Task global_compatibility_level_round_trips_and_governs_subjects_without_their_own()
    {
        await client.RegisterSchemaAsync("users-value", Avro(UserV1));

        Assert.Equal(Compatibility.None, await client.UpdateCompatibilityAsync(Compatibility.None));
        Assert.Equal(Compatibility.None, await client.GetCompatibilityAsync());
        await client.RegisterSchemaAsync("users-value", Avro(UserWithIntName));

        Assert.Equal(Compatibility.Full, await client.UpdateCompatibilityAsync(Compatibility.Full));
        Assert.Equal(Compatibility.Full, await client.GetCompatibilityAsync());
    }

    [Fact]
    public async Task forward_rejects_removing_a_field_the_old_schema_needs()
    {
        await client.UpdateCompatibilityAsync(Compatibility.Forward, "users-value");
        await client.RegisterSchemaAsync("users-value", Avro(UserV1));

        // The old reader needs "name" and has no default for it.
        Assert.False(await client.IsCompatibleAsync("users-value", Avro(UserWithoutName)));
        // Adding a required field is fine forward: the old reader ignores it.
        Assert.True(await client.IsCompatibleAsync("users-value", Avro(UserWithRequiredEmail)));
    }

    [Fact]
    public async Task full_requires_both_directions()
    {
        await client.UpdateCompatibilityAsync(Compatibility.Full, "users-value");
        await client.RegisterSchemaAsync("users-value", Avro(UserV1));

        Assert.False(await client.IsCompatibleAsync("users-value", Avro(UserWithoutName)));
        Assert.False(await client.IsCompatibleAsync("users-value", Avro(UserWithRequiredEmail)));
        Assert.True(await client.IsCompatibleAsync("users-value", Avro(UserWithDefaultedEmail)));
    }

    [Fact]
    public async Task backward_transitive_checks_every_earlier_version_while_backward_checks_only_the_latest()
    {
        const string nameAsIntWithDefault = """
            {"type":"record","name":"User","namespace":"test","fields":[
              {"name":"id","type":"string"},
              {"name":"name","type":"int","default":0}]}
            """;
        foreach (var (subject, level) in new[] { ("plain-value", Compatibility.Backward), ("transitive-value", Compatibility.BackwardTransitive) })
        {
            await client.UpdateCompatibilityAsync(level, subject);
            await client.RegisterSchemaAsync(subject, Avro(UserV1));
            await client.RegisterSchemaAsync(subject, Avro(UserWithoutName));
        }

        // Against v2 (no "name") the defaulted int field is fine; against v1 ("name" is a string) it is not.
        await client.RegisterSchemaAsync("plain-value", Avro(nameAsIntWithDefault));
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("transitive-value", Avro(nameAsIntWithDefault)));
        Assert.Equal(409, error.ErrorCode);
        Assert.Contains("oldSchemaVersion: 1", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, bool> ResolutionCases => new()
    {
        { "int widens to long", Field("\"int\""), Field("\"long\""), true },
        { "long does not narrow to int", Field("\"long\""), Field("\"int\""), false },
        { "long widens to double", Field("\"long\""), Field("\"double\""), true },
        { "string reads as bytes", Field("\"string\""), Field("\"bytes\""), true },
        { "bytes read as string", Field("\"bytes\""), Field("\"string\""), true },
        { "value becomes optional", Field("\"string\""), Field("[\"null\",\"string\"]"), true },
        { "optional becomes required", Field("[\"null\",\"string\"]"), Field("\"string\""), false },
        { "union loses a branch", Field("[\"null\",\"string\",\"int\"]"), Field("[\"null\",\"string\"]"), false },
        { "union branch widens", Field("[\"null\",\"int\"]"), Field("[\"null\",\"long\"]"), true },
        { "enum gains a symbol", Field(Enum("A", "B")), Field(Enum("A", "B", "C")), true },
        { "enum loses a symbol", Field(Enum("A", "B", "C")), Field(Enum("A", "B")), false },
        { "enum loses a symbol but has a default", Field(Enum("A", "B", "C")), Field(Enum("A", "B").Replace("\"symbols\"", "\"default\":\"A\",\"symbols\"", StringComparison.Ordinal)), true },
        { "enum is renamed", Field(Enum("A")), Field(Enum("A").Replace("\"Kind\"", "\"Sort\"", StringComparison.Ordinal)), false },
        { "enum is renamed with an alias", Field(Enum("A")), Field(Enum("A").Replace("\"Kind\"", "\"Sort\",\"aliases\":[\"test.Kind\"]", StringComparison.Ordinal)), true },
        { "array items widen", Field("{\"type\":\"array\",\"items\":\"int\"}"), Field("{\"type\":\"array\",\"items\":\"long\"}"), true },
        { "map values change type", Field("{\"type\":\"map\",\"values\":\"string\"}"), Field("{\"type\":\"map\",\"values\":\"int\"}"), false },
        { "nested record gains a required field", Field(Inner("\"a\"")), Field(Inner("\"a\"", "\"b\"")), false },
        { "nested record gains a defaulted field", Field(Inner("\"a\"")), Field(Inner("\"a\"", "\"b\",\"default\":\"\"")), true },
        { "nested record loses a field", Field(Inner("\"a\"", "\"b\"")), Field(Inner("\"a\"")), true },
        { "fixed changes size", Field("{\"type\":\"fixed\",\"name\":\"F\",\"size\":4}"), Field("{\"type\":\"fixed\",\"name\":\"F\",\"size\":8}"), false },
        { "logical timestamp over plain long", Field("\"long\""), Field("{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}"), true },
        { "field renamed with an alias", Field("\"string\""), Field("\"string\"").Replace("\"name\":\"f\"", "\"name\":\"g\",\"aliases\":[\"f\"]", StringComparison.Ordinal), true },
        { "field renamed without an alias", Field("\"string\""), Field("\"string\"").Replace("\"name\":\"f\"", "\"name\":\"g\"", StringComparison.Ordinal), false },
        { "record renamed", Field("\"string\""), Field("\"string\"").Replace("\"name\":\"R\"", "\"name\":\"Q\"", StringComparison.Ordinal), false },
    };

    [Theory]
    [MemberData(nameof(ResolutionCases))]
    public async Task backward_compatibility_follows_avro_schema_resolution(string change, string oldSchema, string newSchema, bool compatible)
    {
        await client.RegisterSchemaAsync("case-value", Avro(oldSchema));

        Assert.True(compatible == await client.IsCompatibleAsync("case-value", Avro(newSchema)), change);
    }

    [Fact]
    public async Task apache_avro_can_read_is_too_lenient_so_the_registry_checks_resolution_itself()
    {
        // If Apache.Avro fixes these, Schema.CanRead could replace the registry's own checker.
        var optional = global::Avro.Schema.Parse(Field("[\"null\",\"string\"]"));
        var required = global::Avro.Schema.Parse(Field("\"string\""));
        var threeSymbols = global::Avro.Schema.Parse(Field(Enum("A", "B", "C")));
        var twoSymbols = global::Avro.Schema.Parse(Field(Enum("A", "B")));
        Assert.True(required.CanRead(optional));
        Assert.True(twoSymbols.CanRead(threeSymbols));

        await client.RegisterSchemaAsync("optional-value", Avro(Field("[\"null\",\"string\"]")));
        await client.RegisterSchemaAsync("enum-value", Avro(Field(Enum("A", "B", "C"))));
        Assert.False(await client.IsCompatibleAsync("optional-value", Avro(Field("\"string\""))));
        Assert.False(await client.IsCompatibleAsync("enum-value", Avro(Field(Enum("A", "B")))));
    }

    [Fact]
    public async Task unknown_schema_id_is_404_with_error_code_40403()
    {
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaAsync(4242));

        Assert.Equal((HttpStatusCode.NotFound, 40403), (error.Status, error.ErrorCode));
    }

    [Fact]
    public async Task unknown_subject_is_404_with_error_code_40401_and_unknown_schema_in_a_subject_40403()
    {
        var latest = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetLatestSchemaAsync("nope-value"));
        var versions = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSubjectVersionsAsync("nope-value"));
        Assert.Equal((HttpStatusCode.NotFound, 40401), (latest.Status, latest.ErrorCode));
        Assert.Equal(40401, versions.ErrorCode);
        Assert.Equal("Subject 'nope-value' not found.", latest.Message.Split(';')[0].Trim());

        await client.RegisterSchemaAsync("users-value", Avro(UserV1));
        var lookup = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.LookupSchemaAsync("users-value", Avro(UserWithoutName), ignoreDeletedSchemas: true));
        var version = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetRegisteredSchemaAsync("users-value", 7));
        Assert.Equal((HttpStatusCode.NotFound, 40403), (lookup.Status, lookup.ErrorCode));
        Assert.Equal(40402, version.ErrorCode);
    }

    [Fact]
    public async Task invalid_or_non_avro_schemas_are_rejected_with_422_and_42201()
    {
        var invalid = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("bad-value", Avro("""{"type":"record","name":"R","fields":[{"name":"f","type":"nope"}]}""")));
        var json = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("json-value", new ConfluentSchema("""{"type":"object"}""", SchemaType.Json)));

        Assert.Equal(((HttpStatusCode)422, 42201), (invalid.Status, invalid.ErrorCode));
        Assert.Equal(((HttpStatusCode)422, 42201), (json.Status, json.ErrorCode));
        Assert.Contains("only AVRO", json.Message, StringComparison.Ordinal);
        Assert.Empty(await client.GetAllSubjectsAsync());
    }

    [Fact]
    public async Task rest_answers_use_confluent_json_shapes_and_content_types()
    {
        using var http = new HttpClient { BaseAddress = registry.Url };
        var ct = TestContext.Current.CancellationToken;

        using var health = await http.GetAsync(new Uri("", UriKind.Relative), ct);
        Assert.Equal("{}", await health.Content.ReadAsStringAsync(ct));

        // Plain application/json bodies are accepted as well as Confluent's vendor type.
        var body = JsonSerializer.Serialize(new { schema = UserV1 });
        using var registered = await http.PostAsync(new Uri("subjects/users-value/versions", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Equal("application/vnd.schemaregistry.v1+json", registered.Content.Headers.ContentType?.MediaType);
        using (var doc = JsonDocument.Parse(await registered.Content.ReadAsStringAsync(ct)))
        {
            Assert.Equal(1, doc.RootElement.GetProperty("id").GetInt32());
        }

        using var config = await http.GetAsync(new Uri("config", UriKind.Relative), ct);
        Assert.Equal("""{"compatibilityLevel":"BACKWARD"}""", await config.Content.ReadAsStringAsync(ct));

        using var subjectConfig = await http.GetAsync(new Uri("config/users-value", UriKind.Relative), ct);
        Assert.Equal(40408, ErrorCode(await subjectConfig.Content.ReadAsStringAsync(ct)));
        using var fallbackConfig = await http.GetAsync(new Uri("config/users-value?defaultToGlobal=true", UriKind.Relative), ct);
        Assert.Equal("""{"compatibilityLevel":"BACKWARD"}""", await fallbackConfig.Content.ReadAsStringAsync(ct));

        using var missing = await http.GetAsync(new Uri("subjects/nope/versions", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("""{"error_code":40401,"message":"Subject \u0027nope\u0027 not found."}""", await missing.Content.ReadAsStringAsync(ct));

        using var unknownRoute = await http.GetAsync(new Uri("no/such/route", UriKind.Relative), ct);
        Assert.Equal(404, ErrorCode(await unknownRoute.Content.ReadAsStringAsync(ct)));

        using var badLevel = await http.PutAsync(new Uri("config", UriKind.Relative), new StringContent("""{"compatibility":"SIDEWAYS"}""", Encoding.UTF8, "application/json"), ct);
        Assert.Equal(42203, ErrorCode(await badLevel.Content.ReadAsStringAsync(ct)));

        using var deleted = await http.DeleteAsync(new Uri("subjects/users-value", UriKind.Relative), ct);
        Assert.Equal("[1]", await deleted.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task a_disposed_registry_frees_its_port_for_a_new_one()
    {
        var port = registry.Url.Port;
        Assert.Equal($"http://127.0.0.1:{port}", registry.UrlString);
        await registry.DisposeAsync();

        registry = await LocalSchemaRegistry.StartAsync(port, loggerFactory, TestContext.Current.CancellationToken);

        Assert.Equal(port, registry.Url.Port);
        Assert.Empty(await NewClient().GetAllSubjectsAsync());
    }

    private CachedSchemaRegistryClient NewClient() => new(new SchemaRegistryConfig { Url = registry.UrlString, RequestTimeoutMs = RequestDeadlineMs });

    private static ConfluentSchema Avro(string schema) => new(schema, SchemaType.Avro);

    private static string Canonical(string schema) => global::Avro.Schema.Parse(schema).ToString();

    private static int ErrorCode(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("error_code").GetInt32();
    }

    /// <summary>Record test.R with one field "f" of the given type.</summary>
    private static string Field(string type) =>
        $$"""{"type":"record","name":"R","namespace":"test","fields":[{"name":"f","type":{{type}}}]}""";

    private static string Enum(params string[] symbols) =>
        $$"""{"type":"enum","name":"Kind","symbols":[{{string.Join(",", symbols.Select(s => $"\"{s}\""))}}]}""";

    private static string Inner(params string[] fields) =>
        $$"""{"type":"record","name":"Inner","fields":[{{string.Join(",", fields.Select(f => $$"""{"name":{{f}},"type":"string"}"""))}}]}""";

    private static NotificationRequested SampleRequest() => new()
    {
        eventId = Guid.NewGuid().ToString(),
        userId = "user-1",
        category = "security",
        priority = "high",
        channels = ["sms", "email"],
        templateId = "login-alert",
        templateParameters = new Dictionary<string, string> { ["city"] = "Lyon" },
        locale = "fr-FR",
        email = null,
        phone = "+33612345678",
        sendAt = null,
        expiresAt = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        sourceService = "auth",
        createdAt = new DateTime(2025, 6, 7, 8, 9, 10, 123, DateTimeKind.Utc),
    };

    private static void AssertSameRequest(NotificationRequested expected, NotificationRequested actual)
    {
        Assert.Equal(
            (expected.eventId, expected.userId, expected.category, expected.priority, expected.templateId, expected.locale, expected.email, expected.phone, expected.sourceService),
            (actual.eventId, actual.userId, actual.category, actual.priority, actual.templateId, actual.locale, actual.email, actual.phone, actual.sourceService));
        Assert.Equal(expected.channels, actual.channels);
        Assert.Equal(expected.templateParameters, actual.templateParameters);
        Assert.Equal((expected.sendAt, expected.expiresAt, expected.createdAt), (actual.sendAt, actual.expiresAt, actual.createdAt));
    }

    /// <summary>Keeps every log line (to assert on the registry's request log) and echoes it to the test output.</summary>
    private sealed class RecordingLoggerProvider(ITestOutputHelper? output) : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> lines = new();
        private readonly ITestOutputHelper? output = output;

        public IReadOnlyCollection<string> Lines => lines;

        public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Recorder(RecordingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = formatter(state, exception);
                owner.lines.Enqueue(line);
                try
                {
                    owner.output?.WriteLine($"{logLevel} {category}: {line}{(exception is null ? "" : " " + exception)}");
                }
                catch (InvalidOperationException)
                {
                    // Output after the test finished (e.g. during disposal) has nowhere to go.
                }
            }
        }
    }
}
