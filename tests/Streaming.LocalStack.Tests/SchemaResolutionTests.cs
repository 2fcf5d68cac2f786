
namespace Streaming.LocalStack.Tests;

/// <summary>The compatibility check follows Avro's schema-resolution rules, case by case, where Apache.Avro's own check is too lenient.</summary>
public sealed class SchemaResolutionTests : RegistryTest
{
    public static TheoryData<string, string, string, bool> ResolutionCases => new()
    {
        { "int widens to long", TestSchemas.Field("\"int\""), TestSchemas.Field("\"long\""), true },
        { "long does not narrow to int", TestSchemas.Field("\"long\""), TestSchemas.Field("\"int\""), false },
        { "long widens to double", TestSchemas.Field("\"long\""), TestSchemas.Field("\"double\""), true },
        { "string reads as bytes", TestSchemas.Field("\"string\""), TestSchemas.Field("\"bytes\""), true },
        { "bytes read as string", TestSchemas.Field("\"bytes\""), TestSchemas.Field("\"string\""), true },
        { "value becomes optional", TestSchemas.Field("\"string\""), TestSchemas.Field("[\"null\",\"string\"]"), true },
        { "optional becomes required", TestSchemas.Field("[\"null\",\"string\"]"), TestSchemas.Field("\"string\""), false },
        { "union loses a branch", TestSchemas.Field("[\"null\",\"string\",\"int\"]"), TestSchemas.Field("[\"null\",\"string\"]"), false },
        { "union branch widens", TestSchemas.Field("[\"null\",\"int\"]"), TestSchemas.Field("[\"null\",\"long\"]"), true },
        { "enum gains a symbol", TestSchemas.Field(TestSchemas.Enum("A", "B")), TestSchemas.Field(TestSchemas.Enum("A", "B", "C")), true },
        { "enum loses a symbol", TestSchemas.Field(TestSchemas.Enum("A", "B", "C")), TestSchemas.Field(TestSchemas.Enum("A", "B")), false },
        { "enum loses a symbol but has a default", TestSchemas.Field(TestSchemas.Enum("A", "B", "C")), TestSchemas.Field(TestSchemas.Enum("A", "B").Replace("\"symbols\"", "\"default\":\"A\",\"symbols\"", StringComparison.Ordinal)), true },
        { "enum is renamed", TestSchemas.Field(TestSchemas.Enum("A")), TestSchemas.Field(TestSchemas.Enum("A").Replace("\"Kind\"", "\"Sort\"", StringComparison.Ordinal)), false },
        { "enum is renamed with an alias", TestSchemas.Field(TestSchemas.Enum("A")), TestSchemas.Field(TestSchemas.Enum("A").Replace("\"Kind\"", "\"Sort\",\"aliases\":[\"test.Kind\"]", StringComparison.Ordinal)), true },
        { "array items widen", TestSchemas.Field("{\"type\":\"array\",\"items\":\"int\"}"), TestSchemas.Field("{\"type\":\"array\",\"items\":\"long\"}"), true },
        { "map values change type", TestSchemas.Field("{\"type\":\"map\",\"values\":\"string\"}"), TestSchemas.Field("{\"type\":\"map\",\"values\":\"int\"}"), false },
        { "nested record gains a required field", TestSchemas.Field(TestSchemas.Inner("\"a\"")), TestSchemas.Field(TestSchemas.Inner("\"a\"", "\"b\"")), false },
        { "nested record gains a defaulted field", TestSchemas.Field(TestSchemas.Inner("\"a\"")), TestSchemas.Field(TestSchemas.Inner("\"a\"", "\"b\",\"default\":\"\"")), true },
        { "nested record loses a field", TestSchemas.Field(TestSchemas.Inner("\"a\"", "\"b\"")), TestSchemas.Field(TestSchemas.Inner("\"a\"")), true },
        { "fixed changes size", TestSchemas.Field("{\"type\":\"fixed\",\"name\":\"F\",\"size\":4}"), TestSchemas.Field("{\"type\":\"fixed\",\"name\":\"F\",\"size\":8}"), false },
        { "logical timestamp over plain long", TestSchemas.Field("\"long\""), TestSchemas.Field("{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}"), true },
        { "field renamed with an alias", TestSchemas.Field("\"string\""), TestSchemas.Field("\"string\"").Replace("\"name\":\"f\"", "\"name\":\"g\",\"aliases\":[\"f\"]", StringComparison.Ordinal), true },
        { "field renamed without an alias", TestSchemas.Field("\"string\""), TestSchemas.Field("\"string\"").Replace("\"name\":\"f\"", "\"name\":\"g\"", StringComparison.Ordinal), false },
        { "record renamed", TestSchemas.Field("\"string\""), TestSchemas.Field("\"string\"").Replace("\"name\":\"R\"", "\"name\":\"Q\"", StringComparison.Ordinal), false },
    };

    [Theory(Timeout = TimeoutMs)]
    [MemberData(nameof(ResolutionCases))]
    public async Task backward_compatibility_follows_avro_schema_resolution(string change, string oldSchema, string newSchema, bool compatible)
    {
        await Client.RegisterSchemaAsync("case-value", Avro(oldSchema));

        Assert.True(compatible == await Client.IsCompatibleAsync("case-value", Avro(newSchema)), change);
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task apache_avro_can_read_is_too_lenient_so_the_registry_checks_resolution_itself()
    {
        // If Apache.Avro fixes these, Schema.CanRead could replace the registry's own checker.
        var optional = global::Avro.Schema.Parse(TestSchemas.Field("[\"null\",\"string\"]"));
        var required = global::Avro.Schema.Parse(TestSchemas.Field("\"string\""));
        var threeSymbols = global::Avro.Schema.Parse(TestSchemas.Field(TestSchemas.Enum("A", "B", "C")));
        var twoSymbols = global::Avro.Schema.Parse(TestSchemas.Field(TestSchemas.Enum("A", "B")));
        Assert.True(required.CanRead(optional));
        Assert.True(twoSymbols.CanRead(threeSymbols));

        await Client.RegisterSchemaAsync("optional-value", Avro(TestSchemas.Field("[\"null\",\"string\"]")));
        await Client.RegisterSchemaAsync("enum-value", Avro(TestSchemas.Field(TestSchemas.Enum("A", "B", "C"))));
        Assert.False(await Client.IsCompatibleAsync("optional-value", Avro(TestSchemas.Field("\"string\""))));
        Assert.False(await Client.IsCompatibleAsync("enum-value", Avro(TestSchemas.Field(TestSchemas.Enum("A", "B")))));
    }
}
