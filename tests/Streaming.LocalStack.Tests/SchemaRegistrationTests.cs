using Confluent.SchemaRegistry;

namespace Streaming.LocalStack.Tests;

/// <summary>Registering schemas: global IDs shared across subjects and clients, versions and the latest version.</summary>
public sealed class SchemaRegistrationTests : RegistryTest
{
    [Fact(Timeout = TimeoutMs)]
    public async Task registering_the_same_schema_twice_returns_the_same_id_even_from_another_client_or_spelling()
    {
        var id = await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserV1));

        // Fresh clients: CachedSchemaRegistryClient would otherwise answer from its own cache.
        Assert.Equal(id, await NewClient().RegisterSchemaAsync("users-value", Avro(TestSchemas.UserV1)));
        Assert.Equal(id, await NewClient().RegisterSchemaAsync("users-value", Avro(TestSchemas.UserV1.Replace("\n", " ", StringComparison.Ordinal).Replace("  ", "", StringComparison.Ordinal))));
        Assert.Equal([1], await Client.GetSubjectVersionsAsync("users-value"));

        // Same schema under another subject shares the global id, like Confluent.
        Assert.Equal(id, await NewClient().RegisterSchemaAsync("other-value", Avro(TestSchemas.UserV1)));
        var found = await NewClient().LookupSchemaAsync("other-value", Avro(TestSchemas.UserV1), ignoreDeletedSchemas: true);
        Assert.Equal((id, 1, "other-value"), (found.Id, found.Version, found.Subject));
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task subjects_versions_and_latest_are_listed()
    {
        var first = await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserV1));
        var second = await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserWithDefaultedEmail));
        await Client.RegisterSchemaAsync("devices-value", Avro(TestSchemas.UserV1));

        Assert.NotEqual(first, second);
        Assert.Equal(["devices-value", "users-value"], await Client.GetAllSubjectsAsync());
        Assert.Equal([1, 2], await Client.GetSubjectVersionsAsync("users-value"));

        var latest = await Client.GetLatestSchemaAsync("users-value");
        Assert.Equal(("users-value", 2, second), (latest.Subject, latest.Version, latest.Id));
        Assert.Equal(Canonical(TestSchemas.UserWithDefaultedEmail), Canonical(latest.SchemaString));
        Assert.Equal(SchemaType.Avro, latest.SchemaType);

        var v1 = await Client.GetRegisteredSchemaAsync("users-value", 1);
        Assert.Equal((1, first), (v1.Version, v1.Id));
        Assert.Equal(Canonical(TestSchemas.UserV1), Canonical(v1.SchemaString));
    }
}
