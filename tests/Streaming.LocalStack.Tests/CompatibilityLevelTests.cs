using System.Net;
using Confluent.SchemaRegistry;

namespace Streaming.LocalStack.Tests;

/// <summary>Compatibility levels (global and per subject) and what each accepts or rejects with 409.</summary>
public sealed class CompatibilityLevelTests : RegistryTest
{
    [Fact(Timeout = TimeoutMs)]
    public async Task backward_accepts_a_new_field_with_a_default_as_version_2()
    {
        Assert.Equal(Compatibility.Backward, await Client.GetCompatibilityAsync());
        await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserV1));

        Assert.True(await Client.IsCompatibleAsync("users-value", Avro(TestSchemas.UserWithDefaultedEmail)));
        await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserWithDefaultedEmail));

        Assert.Equal(2, (await Client.GetLatestSchemaAsync("users-value")).Version);
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task backward_rejects_a_new_field_without_default_with_409()
    {
        await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserV1));

        Assert.False(await Client.IsCompatibleAsync("users-value", Avro(TestSchemas.UserWithRequiredEmail)));
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserWithRequiredEmail)));

        Assert.Equal(HttpStatusCode.Conflict, error.Status);
        Assert.Equal(409, error.ErrorCode);
        Assert.Contains("READER_FIELD_MISSING_DEFAULT_VALUE", error.Message, StringComparison.Ordinal);
        Assert.Equal([1], await Client.GetSubjectVersionsAsync("users-value"));
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task backward_accepts_removing_a_field()
    {
        await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserV1));

        Assert.True(await Client.IsCompatibleAsync("users-value", Avro(TestSchemas.UserWithoutName)));
        await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserWithoutName));

        Assert.Equal([1, 2], await Client.GetSubjectVersionsAsync("users-value"));
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task backward_rejects_changing_a_field_from_string_to_int()
    {
        await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserV1));

        Assert.False(await Client.IsCompatibleAsync("users-value", Avro(TestSchemas.UserWithIntName)));
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserWithIntName)));

        Assert.Equal((HttpStatusCode.Conflict, 409), (error.Status, error.ErrorCode));
        Assert.Contains("TYPE_MISMATCH", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task compatibility_none_on_the_subject_allows_a_breaking_change()
    {
        await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserV1));

        Assert.Equal(Compatibility.None, await Client.UpdateCompatibilityAsync(Compatibility.None, "users-value"));
        Assert.Equal(Compatibility.None, await Client.GetCompatibilityAsync("users-value"));
        Assert.True(await Client.IsCompatibleAsync("users-value", Avro(TestSchemas.UserWithIntName)));
        await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserWithIntName));

        Assert.Equal([1, 2], await Client.GetSubjectVersionsAsync("users-value"));
        Assert.Equal(Compatibility.Backward, await Client.GetCompatibilityAsync());
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task global_compatibility_level_round_trips_and_governs_subjects_without_their_own()
    {
        await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserV1));

        Assert.Equal(Compatibility.None, await Client.UpdateCompatibilityAsync(Compatibility.None));
        Assert.Equal(Compatibility.None, await Client.GetCompatibilityAsync());
        await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserWithIntName));

        Assert.Equal(Compatibility.Full, await Client.UpdateCompatibilityAsync(Compatibility.Full));
        Assert.Equal(Compatibility.Full, await Client.GetCompatibilityAsync());
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task forward_rejects_removing_a_field_the_old_schema_needs()
    {
        await Client.UpdateCompatibilityAsync(Compatibility.Forward, "users-value");
        await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserV1));

        // The old reader needs "name" and has no default for it.
        Assert.False(await Client.IsCompatibleAsync("users-value", Avro(TestSchemas.UserWithoutName)));
        // Adding a required field is fine forward: the old reader ignores it.
        Assert.True(await Client.IsCompatibleAsync("users-value", Avro(TestSchemas.UserWithRequiredEmail)));
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task full_requires_both_directions()
    {
        await Client.UpdateCompatibilityAsync(Compatibility.Full, "users-value");
        await Client.RegisterSchemaAsync("users-value", Avro(TestSchemas.UserV1));

        Assert.False(await Client.IsCompatibleAsync("users-value", Avro(TestSchemas.UserWithoutName)));
        Assert.False(await Client.IsCompatibleAsync("users-value", Avro(TestSchemas.UserWithRequiredEmail)));
        Assert.True(await Client.IsCompatibleAsync("users-value", Avro(TestSchemas.UserWithDefaultedEmail)));
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task backward_transitive_checks_every_earlier_version_while_backward_checks_only_the_latest()
    {
        const string nameAsIntWithDefault = """
            {"type":"record","name":"User","namespace":"test","fields":[
              {"name":"id","type":"string"},
              {"name":"name","type":"int","default":0}]}
            """;
        foreach (var (subject, level) in new[] { ("plain-value", Compatibility.Backward), ("transitive-value", Compatibility.BackwardTransitive) })
        {
            await Client.UpdateCompatibilityAsync(level, subject);
            await Client.RegisterSchemaAsync(subject, Avro(TestSchemas.UserV1));
            await Client.RegisterSchemaAsync(subject, Avro(TestSchemas.UserWithoutName));
        }

        // Against v2 (no "name") the defaulted int field is fine; against v1 ("name" is a string) it is not.
        await Client.RegisterSchemaAsync("plain-value", Avro(nameAsIntWithDefault));
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => Client.RegisterSchemaAsync("transitive-value", Avro(nameAsIntWithDefault)));
        Assert.Equal(409, error.ErrorCode);
        Assert.Contains("oldSchemaVersion: 1", error.Message, StringComparison.Ordinal);
    }
}
