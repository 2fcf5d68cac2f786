using System.Collections.Immutable;
using Streaming.LocalCql.Parsing;

namespace Streaming.LocalCql.Schema;

/// <summary>An immutable snapshot of all keyspaces; DDL produces a new snapshot.</summary>
internal sealed class Catalog(ImmutableSortedDictionary<string, KeyspaceDefinition> keyspaces)
{
    public static Catalog Empty { get; } = new(ImmutableSortedDictionary.Create<string, KeyspaceDefinition>(StringComparer.Ordinal));

    public IEnumerable<KeyspaceDefinition> Keyspaces => keyspaces.Values;

    public KeyspaceDefinition? FindKeyspace(string name) => keyspaces.GetValueOrDefault(name);

    public Catalog With(KeyspaceDefinition keyspace) => new(keyspaces.SetItem(keyspace.Name, keyspace));

    public Catalog Without(string keyspace) => new(keyspaces.Remove(keyspace));

    /// <summary>The keyspace a (possibly unqualified) table name lives in, with Cassandra's errors when there is none.</summary>
    public static string KeyspaceOf(QualifiedName name, EngineSession session) =>
        name.Keyspace ?? session.Keyspace ?? throw CqlEngineException.Invalid(
            "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");

    /// <summary>The table a statement names, or INVALID as Cassandra answers for a missing keyspace or table.</summary>
    public TableDefinition Table(QualifiedName name, EngineSession session)
    {
        var keyspaceName = KeyspaceOf(name, session);
        var keyspace = FindKeyspace(keyspaceName) ?? throw CqlEngineException.Invalid($"Keyspace {keyspaceName} does not exist");
        return keyspace.Tables.GetValueOrDefault(name.Name) ?? throw CqlEngineException.Invalid($"unconfigured table {name.Name}");
    }
}
