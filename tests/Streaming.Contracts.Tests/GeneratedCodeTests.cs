using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Contracts.Tests;

public class GeneratedCodeTests
{
    // Set STREAMING_REGENERATE_SCHEMAS=1 to rewrite schemas/Streaming.Contracts/Generated from the .avsc files.
    private static readonly bool Regenerate = Environment.GetEnvironmentVariable("STREAMING_REGENERATE_SCHEMAS") == "1";

    [Fact]
    public void checked_in_classes_match_what_avro_codegen_makes_from_the_avsc_files()
    {
        var schemaDir = RepoPaths.Schemas;
        var generatedDir = Path.Combine(schemaDir, "Streaming.Contracts", "Generated");
        if (Regenerate)
        {
            AvroCodeGenerator.WriteTo(schemaDir, generatedDir);
        }

        var expected = AvroCodeGenerator.Generate(schemaDir);
        var actual = Directory.GetFiles(generatedDir, "*.cs")
            .ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f).ReplaceLineEndings("\n"));

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, source) in expected)
        {
            Assert.True(source == actual[name],
                $"{name} differs from what Avro.CodeGen generates from the .avsc files. Run: STREAMING_REGENERATE_SCHEMAS=1 dotnet test tests/Streaming.Contracts.Tests");
        }
    }

    [Fact]
    public void every_avsc_schema_has_a_namespace_and_docs_on_the_record_and_each_field()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Schemas, "*.avsc"))
        {
            var schema = (Avro.RecordSchema)Avro.Schema.Parse(File.ReadAllText(file));
            Assert.Equal("Streaming.Contracts", schema.Namespace);
            Assert.False(string.IsNullOrWhiteSpace(schema.Documentation), $"{file}: record doc missing");
            foreach (var field in schema.Fields)
            {
                Assert.False(string.IsNullOrWhiteSpace(field.Documentation), $"{file}: field {field.Name} has no doc");
            }
        }
    }
}
