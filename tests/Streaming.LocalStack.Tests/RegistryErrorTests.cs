using System.Net;
using Confluent.SchemaRegistry;
using ConfluentSchema = Confluent.SchemaRegistry.Schema;

namespace Streaming.LocalStack.Tests;

/// <summary>Unknown IDs, subjects and versions, and invalid schemas: Confluent's status and error codes.</summary>
public sealed class RegistryErrorTests : RegistryTest
{
    [Fact(Timeout = TimeoutMs)]
    public async Task unknown_schema_id_is_404_with_error_code_40403()
    {
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => Client.GetSchemaAsync(4242));

        Assert.Equal((HttpStatusCode.NotFound, 40403), (error.Status, error.ErrorCode));
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task unknown_subject_is_404_with_error_code_40401_and_unknown_schema_in_a_subject_40403()
    {
        var latest = await Assert.ThrowsAsync<SchemaRegistryException>(() => Client.GetLatestSchemaAsync("nope-value"));
        var versions = await Assert.ThrowsAsync<SchemaRegistryException>(() => Client.GetSubjectVersionsAsync("nope-value"));
        Assert.Equal((HttpStatusCode.NotFound, 40401), (latest.Status, latest.ErrorCode));
        Assert.Equal(40401, versions.ErrorCode);
        Assert.Equal("Subject 'nope-value' not found.", latest.Message.Split(';')[0].Trim());

        await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserV1));
        var lookup = await Assert.ThrowsAsync<SchemaRegistryException>(() => Client.LookupSchemaAsync("users-value", Avro(TestSchemas.UserWithoutName), ignoreDeletedSchemas: true));
        var version = await Assert.ThrowsAsync<SchemaRegistryException>(() => Client.GetRegisteredSchemaAsync("users-value", 7));
        Assert.Equal((HttpStatusCode.NotFound, 40403), (lookup.Status, lookup.ErrorCode));
        Assert.Equal(40402, version.ErrorCode);
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task invalid_or_non_avro_schemas_are_rejected_with_422_and_42201()
    {
        var invalid = await Assert.ThrowsAsync<SchemaRegistryException>(() => Client.RegisterSchemaAsync("bad-value", Avro("""{"type":"record","name":"R","fields":[{"name":"f","type":"nope"}]}""")));
        var json = await Assert.ThrowsAsync<SchemaRegistryException>(() => Client.RegisterSchemaAsync("json-value", new ConfluentSchema("""{"type":"object"}""", SchemaType.Json)));

        Assert.Equal(((HttpStatusCode)422, 42201), (invalid.Status, invalid.ErrorCode));
        Assert.Equal(((HttpStatusCode)422, 42201), (json.Status, json.ErrorCode));
        Assert.Contains("only AVRO", json.Message, StringComparison.Ordinal);
        Assert.Empty(await Client.GetAllSubjectsAsync());
    }
}
