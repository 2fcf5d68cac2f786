namespace Streaming.Cql.Protocol;

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
        if (Target == "KEYSPACE")
        {
            return;
        }

        writer.WriteString(Name ?? throw new ArgumentException($"A {Target} schema change needs a name."));
        if (Target is "FUNCTION" or "AGGREGATE")
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
            "KEYSPACE" => new SchemaChange(change, target, keyspace),
            "FUNCTION" or "AGGREGATE" => new SchemaChange(change, target, keyspace, reader.ReadString(), reader.ReadStringList()),
            _ => new SchemaChange(change, target, keyspace, reader.ReadString()),
        };
    }
}
