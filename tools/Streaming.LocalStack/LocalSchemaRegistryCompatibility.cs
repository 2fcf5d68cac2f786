using System.Runtime.CompilerServices;
using System.Text.Json;
using Avro;

namespace Streaming.LocalStack;

/// <summary>Confluent's compatibility levels.</summary>
internal enum CompatibilityLevel
{
    None,
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
}

internal static class CompatibilityLevels
{
    public static string ToWire(this CompatibilityLevel level) => level switch
    {
        CompatibilityLevel.None => "NONE",
        CompatibilityLevel.Backward => "BACKWARD",
        CompatibilityLevel.BackwardTransitive => "BACKWARD_TRANSITIVE",
        CompatibilityLevel.Forward => "FORWARD",
        CompatibilityLevel.ForwardTransitive => "FORWARD_TRANSITIVE",
        CompatibilityLevel.Full => "FULL",
        CompatibilityLevel.FullTransitive => "FULL_TRANSITIVE",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    public static CompatibilityLevel Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "NONE" => CompatibilityLevel.None,
        "BACKWARD" => CompatibilityLevel.Backward,
        "BACKWARD_TRANSITIVE" => CompatibilityLevel.BackwardTransitive,
        "FORWARD" => CompatibilityLevel.Forward,
        "FORWARD_TRANSITIVE" => CompatibilityLevel.ForwardTransitive,
        "FULL" => CompatibilityLevel.Full,
        "FULL_TRANSITIVE" => CompatibilityLevel.FullTransitive,
        _ => throw LocalSchemaRegistryException.InvalidCompatibilityLevel(value),
    };

    public static bool IsTransitive(this CompatibilityLevel level) =>
        level is CompatibilityLevel.BackwardTransitive or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.FullTransitive;

    /// <summary>New schema must read data written with the old one.</summary>
    public static bool ChecksBackward(this CompatibilityLevel level) =>
        level is CompatibilityLevel.Backward or CompatibilityLevel.BackwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;

    /// <summary>Old schema must read data written with the new one.</summary>
    public static bool ChecksForward(this CompatibilityLevel level) =>
        level is CompatibilityLevel.Forward or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;
}

/// <summary>One reason a reader schema cannot read a writer schema, in Confluent's message format.</summary>
internal sealed record AvroIncompatibility(string ErrorType, string Description, string AdditionalInfo)
{
    public override string ToString() =>
        $"{{errorType:'{ErrorType}', description:'{Description}', additionalInfo:'{AdditionalInfo}'}}";
}

/// <summary>
/// Avro schema resolution ("can a reader with schema R read data written with schema W?"), following
/// Java's <c>SchemaCompatibility</c>, which is what Confluent's registry runs.
/// </summary>
/// <remarks>
/// Apache.Avro's own <c>Schema.CanRead</c> is not used: in 1.12.2 it accepts any writer union for any
/// reader (so ["null","string"] → "string" passes), never checks enum symbols, knows no string↔bytes
/// promotion and fails on logical types against their base type. The registry tests pin these cases.
/// </remarks>
internal sealed class AvroCompatibilityChecker
{
    private readonly string readerLabel;
    private readonly string writerLabel;
    // Pairs under inspection: meeting one again means a recursive type, assumed compatible (co-inductively).
    private readonly HashSet<(Schema Reader, Schema Writer)> inProgress = new(PairComparer.Instance);
    private List<AvroIncompatibility> found = [];

    private AvroCompatibilityChecker(string readerLabel, string writerLabel)
    {
        this.readerLabel = readerLabel;
        this.writerLabel = writerLabel;
    }

    /// <summary>Everything that stops <paramref name="reader"/> from reading data written with <paramref name="writer"/>; empty when it can.</summary>
    /// <param name="readerLabel">How messages name the reader schema ("new" for BACKWARD, "old" for FORWARD).</param>
    public static IReadOnlyList<AvroIncompatibility> Check(Schema reader, Schema writer, string readerLabel = "reader", string writerLabel = "writer")
    {
        var checker = new AvroCompatibilityChecker(readerLabel, writerLabel);
        checker.Visit(reader, writer, "");
        return checker.found;
    }

    private void Visit(Schema reader, Schema writer, string path)
    {
        // Logical types annotate their base type; resolution is decided by the base type, as in Java.
        reader = Unwrap(reader);
        writer = Unwrap(writer);
        if (!inProgress.Add((reader, writer)))
        {
            return;
        }

        try
        {
            VisitUnwrapped(reader, writer, path);
        }
        finally
        {
            inProgress.Remove((reader, writer));
        }
    }

    private void VisitUnwrapped(Schema reader, Schema writer, string path)
    {
        if (writer is UnionSchema writerUnion)
        {
            // Every branch the writer may have used must be readable.
            for (var i = 0; i < writerUnion.Schemas.Count; i++)
            {
                var branch = writerUnion.Schemas[i];
                if (reader is UnionSchema readerUnion)
                {
                    if (!readerUnion.Schemas.Any(r => CanRead(r, branch)))
                    {
                        Add("MISSING_UNION_BRANCH",
                            $"The {readerLabel} schema is missing a type inside a union field at path '{At(path, $"/{i}")}' in the {writerLabel} schema",
                            $"reader union lacking writer type: {TypeName(branch)}");
                    }
                }
                else
                {
                    Visit(reader, branch, $"{path}/{i}");
                }
            }

            return;
        }

        if (reader is UnionSchema union)
        {
            if (!union.Schemas.Any(r => CanRead(r, writer)))
            {
                Add("TYPE_MISMATCH",
                    $"The type (path '{At(path)}') of a field in the {readerLabel} schema does not match with the {writerLabel} schema",
                    $"reader union lacking writer type: {TypeName(writer)}");
            }

            return;
        }

        switch (reader)
        {
            case RecordSchema readerRecord when writer is RecordSchema writerRecord:
                if (NamesMatch(readerRecord, writerRecord, path))
                {
                    VisitFields(readerRecord, writerRecord, path);
                }

                return;
            case EnumSchema readerEnum when writer is EnumSchema writerEnum:
                if (NamesMatch(readerEnum, writerEnum, path))
                {
                    var missing = writerEnum.Symbols.Where(s => !readerEnum.Symbols.Contains(s)).ToList();
                    // A reader default catches symbols it does not know (Avro 1.9+ enum defaults).
                    if (missing.Count > 0 && readerEnum.Default is null)
                    {
                        var symbols = $"[{string.Join(", ", missing)}]";
                        Add("MISSING_ENUM_SYMBOLS",
                            $"The {readerLabel} schema is missing enum symbols '{symbols}' at path '{At(path, "/symbols")}' in the {writerLabel} schema",
                            symbols);
                    }
                }

                return;
            case FixedSchema readerFixed when writer is FixedSchema writerFixed:
                if (NamesMatch(readerFixed, writerFixed, path) && readerFixed.Size != writerFixed.Size)
                {
                    Add("FIXED_SIZE_MISMATCH",
                        $"The size of FIXED type field at path '{At(path, "/size")}' in the {readerLabel} schema does not match with the {writerLabel} schema",
                        $"expected: {writerFixed.Size}, found: {readerFixed.Size}");
                }

                return;
            case ArraySchema readerArray when writer is ArraySchema writerArray:
                Visit(readerArray.ItemSchema, writerArray.ItemSchema, $"{path}/items");
                return;
            case MapSchema readerMap when writer is MapSchema writerMap:
                Visit(readerMap.ValueSchema, writerMap.ValueSchema, $"{path}/values");
                return;
            case PrimitiveSchema when writer is PrimitiveSchema && PrimitiveCanRead(reader.Tag, writer.Tag):
                return;
            default:
                Add("TYPE_MISMATCH",
                    $"The type (path '{At(path)}') of a field in the {readerLabel} schema does not match with the {writerLabel} schema",
                    $"reader type: {TypeName(reader)} not compatible with writer type: {TypeName(writer)}");
                return;
        }
    }

    private void VisitFields(RecordSchema reader, RecordSchema writer, string path)
    {
        for (var i = 0; i < reader.Fields.Count; i++)
        {
            var field = reader.Fields[i];
            var writerField = writer[field.Name] ?? field.Aliases?.Select(a => writer[a]).FirstOrDefault(f => f is not null);
            if (writerField is not null)
            {
                Visit(field.Schema, writerField.Schema, $"{path}/fields/{i}/type");
            }
            else if (field.DefaultValue is null) // A JSON null default is a JValue, so only "no default" lands here.
            {
                Add("READER_FIELD_MISSING_DEFAULT_VALUE",
                    $"The field '{field.Name}' at path '{At(path, $"/fields/{i}")}' in the {readerLabel} schema has no default value and is missing in the {writerLabel} schema",
                    field.Name);
            }
        }
    }

    private bool CanRead(Schema reader, Schema writer)
    {
        var outer = found;
        found = [];
        try
        {
            Visit(reader, writer, "");
            return found.Count == 0;
        }
        finally
        {
            found = outer;
        }
    }

    private bool NamesMatch(NamedSchema reader, NamedSchema writer, string path)
    {
        // Java compares unqualified names, then the reader's aliases against the writer's full name.
        if (reader.Name == writer.Name || AliasesOf(reader).Contains(writer.Fullname))
        {
            return true;
        }

        Add("NAME_MISMATCH",
            $"The name of the schema has changed (path '{At(path, "/name")}')",
            $"expected: {writer.Fullname}");
        return false;
    }

    // Apache.Avro keeps named-schema aliases private; its JSON form writes them fully qualified.
    private static IReadOnlyList<string> AliasesOf(NamedSchema schema)
    {
        using var json = JsonDocument.Parse(schema.ToString());
        return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("aliases", out var aliases)
            ? aliases.EnumerateArray().Select(a => a.GetString() ?? "").ToList()
            : [];
    }

    private static bool PrimitiveCanRead(Schema.Type reader, Schema.Type writer) => reader == writer || (reader, writer) switch
    {
        (Schema.Type.Long, Schema.Type.Int) => true,
        (Schema.Type.Float, Schema.Type.Int or Schema.Type.Long) => true,
        (Schema.Type.Double, Schema.Type.Int or Schema.Type.Long or Schema.Type.Float) => true,
        (Schema.Type.String, Schema.Type.Bytes) => true,
        (Schema.Type.Bytes, Schema.Type.String) => true,
        _ => false,
    };

    private static Schema Unwrap(Schema schema) => schema is LogicalSchema logical ? logical.BaseSchema : schema;

    private static string TypeName(Schema schema) => Unwrap(schema).Tag switch
    {
        Schema.Type.Enumeration => "ENUM",
        var tag => tag.ToString().ToUpperInvariant(),
    };

    // Java-style location of a schema node: "/" for the root, "/fields/1/type" below it.
    private static string At(string path, string suffix = "") => path + suffix is { Length: > 0 } location ? location : "/";

    private void Add(string errorType, string description, string additionalInfo) =>
        found.Add(new AvroIncompatibility(errorType, description, additionalInfo));

    private sealed class PairComparer : IEqualityComparer<(Schema Reader, Schema Writer)>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals((Schema Reader, Schema Writer) x, (Schema Reader, Schema Writer) y) =>
            ReferenceEquals(x.Reader, y.Reader) && ReferenceEquals(x.Writer, y.Writer);

        public int GetHashCode((Schema Reader, Schema Writer) pair) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(pair.Reader), RuntimeHelpers.GetHashCode(pair.Writer));
    }
}
