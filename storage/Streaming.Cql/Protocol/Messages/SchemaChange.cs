namespace Streaming.Cql.Protocol;

/// <summary>The &lt;change_type&gt; strings of a schema change (section 4.2.6).</summary>
public static class SchemaChangeType
{
    public const string Created = "CREATED";
    public const string Updated = "UPDATED";
    public const string Dropped = "DROPPED";
}

/// <summary>The &lt;target&gt; strings of a schema change (section 4.2.6).</summary>
public static class SchemaChangeTarget
{
    public const string Keyspace = "KEYSPACE";
    public const string Table = "TABLE";
    public const string Type = "TYPE";
    public const string Function = "FUNCTION";
    public const string Aggregate = "AGGREGATE";
}

/// <summary>
/// &lt;change_type&gt;&lt;target&gt;&lt;options&gt; of a Schema_change result and a SCHEMA_CHANGE event (section 4.2.6):
/// change CREATED/UPDATED/DROPPED; target KEYSPACE (keyspace only), TABLE/TYPE (keyspace, name) or
/// FUNCTION/AGGREGATE (keyspace, name, argument types).
/// </summary>
public sealed record SchemaChange(string ChangeType, string Target, string Keyspace, string? Name = null, IReadOnlyList<string>? ArgumentTypes = null)
{
    public void Encode(CqlWriter writer)
    {
        writer.WriteString(ChangeType);
        writer.WriteString(Target);
        writer.WriteString(Keyspace);
        if (Target == SchemaChangeTarget.Keyspace)
        {
            return;
        }

        writer.WriteString(Name ?? throw new ArgumentException($"A {Target} schema change needs a name."));
        if (Target is SchemaChangeTarget.Function or SchemaChangeTarget.Aggregate)
        {
            writer.WriteStringList(ArgumentTypes ?? []);
        }
    }

    public static SchemaChange Decode(CqlReader reader)
    {
        var change = reader.ReadString();
        var target = reader.ReadString();
        var keyspace = reader.ReadString();
        return target switch
        {
            SchemaChangeTarget.Keyspace => new SchemaChange(change, target, keyspace),
            SchemaChangeTarget.Function or SchemaChangeTarget.Aggregate => new SchemaChange(change, target, keyspace, reader.ReadString(), reader.ReadStringList()),
            _ => new SchemaChange(change, target, keyspace, reader.ReadString()),
        };
    }
}
