using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;
using Streaming.LocalCql.Storage;
using Streaming.LocalCql.SystemTables;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// Keyspace and table DDL, TRUNCATE and USE. A change answers SCHEMA_CHANGE; IF [NOT] EXISTS that finds nothing to do
/// answers Void, as Cassandra 4 does.
/// </summary>
internal static partial class SchemaExecutor
{
    private static readonly string[] Strategies = ["SimpleStrategy", "NetworkTopologyStrategy"];

    [GeneratedRegex(@"^\w{1,48}$")]
    private static partial Regex ValidName();

    public static ResultResponse CreateKeyspace(CreateKeyspaceStatement statement, ExecutionContext context)
    {
        CheckName(statement.Name, "Keyspace");
        CheckReplication(statement.Replication);
        return context.Database.ChangeSchema(catalog =>
        {
            if (catalog.FindKeyspace(statement.Name) is not null)
            {
                return statement.IfNotExists
                    ? CatalogChange.None(catalog)
                    : throw new CqlEngineException(CqlErrorCode.AlreadyExists, $"Cannot add existing keyspace \"{statement.Name}\"",
                        new AlreadyExistsDetails(statement.Name, ""));
            }

            var keyspace = new KeyspaceDefinition(statement.Name, statement.Replication, statement.DurableWrites,
                ImmutableSortedDictionary.Create<string, TableDefinition>(StringComparer.Ordinal));
            return new CatalogChange(catalog.With(keyspace), Changed(SchemaChangeType.Created, SchemaChangeTarget.Keyspace, statement.Name));
        });
    }

    public static ResultResponse DropKeyspace(DropKeyspaceStatement statement, ExecutionContext context) =>
        context.Database.ChangeSchema(catalog => catalog.FindKeyspace(statement.Name) is null
            ? statement.IfExists ? CatalogChange.None(catalog) : throw CqlEngineException.Invalid($"Keyspace '{statement.Name}' doesn't exist")
            : new CatalogChange(catalog.Without(statement.Name), Changed(SchemaChangeType.Dropped, SchemaChangeTarget.Keyspace, statement.Name)));

    public static ResultResponse CreateTable(CreateTableStatement statement, ExecutionContext context)
    {
        var keyspaceName = Catalog.KeyspaceOf(statement.Table, context.Session);
        CheckName(statement.Table.Name, "Table");
        var table = TableDefinitionBuilder.Build(keyspaceName, statement, Guid.NewGuid());
        return context.Database.ChangeSchema(catalog =>
        {
            var keyspace = catalog.FindKeyspace(keyspaceName) ?? throw CqlEngineException.Invalid($"Keyspace '{keyspaceName}' doesn't exist");
            if (keyspace.Tables.ContainsKey(table.Name))
            {
                return statement.IfNotExists
                    ? CatalogChange.None(catalog)
                    : throw new CqlEngineException(CqlErrorCode.AlreadyExists,
                        $"Cannot add already existing table \"{table.Name}\" to keyspace \"{keyspaceName}\"", new AlreadyExistsDetails(keyspaceName, table.Name));
            }

            return new CatalogChange(catalog.With(keyspace.WithTable(table)),
                Changed(SchemaChangeType.Created, SchemaChangeTarget.Table, keyspaceName, table.Name));
        });
    }

    public static ResultResponse DropTable(DropTableStatement statement, ExecutionContext context)
    {
        var keyspaceName = Catalog.KeyspaceOf(statement.Table, context.Session);
        return context.Database.ChangeSchema(catalog =>
        {
            var keyspace = catalog.FindKeyspace(keyspaceName);
            if (keyspace is null || !keyspace.Tables.ContainsKey(statement.Table.Name))
            {
                return statement.IfExists
                    ? CatalogChange.None(catalog)
                    : throw CqlEngineException.Invalid($"Table '{keyspaceName}.{statement.Table.Name}' doesn't exist");
            }

            return new CatalogChange(catalog.With(keyspace.WithoutTable(statement.Table.Name)),
                Changed(SchemaChangeType.Dropped, SchemaChangeTarget.Table, keyspaceName, statement.Table.Name));
        });
    }

    public static ResultResponse Truncate(TruncateStatement statement, ExecutionContext context)
    {
        context.Database.Store(context.Table(statement.Table)).Truncate();
        return new VoidResult();
    }

    public static ResultResponse Use(UseStatement statement, ExecutionContext context)
    {
        if (context.Catalog.FindKeyspace(statement.Keyspace) is null)
        {
            throw CqlEngineException.Invalid($"Keyspace '{statement.Keyspace}' does not exist");
        }

        context.Session.Keyspace = statement.Keyspace;
        return new SetKeyspaceResult(statement.Keyspace);
    }

    private static SchemaChangeResult Changed(string change, string target, string keyspace, string? table = null) =>
        new(new SchemaChange(change, target, keyspace, table));

    private static void CheckName(string name, string what)
    {
        if (!ValidName().IsMatch(name))
        {
            throw CqlEngineException.Invalid(
                $"{what} name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got \"{name}\")");
        }
    }

    /// <summary>SimpleStrategy (with replication_factor) and NetworkTopologyStrategy, short or fully qualified.</summary>
    private static void CheckReplication(IReadOnlyDictionary<string, string> replication)
    {
        if (!replication.TryGetValue("class", out var strategy))
        {
            throw new CqlEngineException(CqlErrorCode.ConfigError, "Missing replication strategy class");
        }

        var shortName = strategy.Replace("org.apache.cassandra.locator.", "", StringComparison.Ordinal);
        if (!Strategies.Contains(shortName))
        {
            throw new CqlEngineException(CqlErrorCode.ConfigError, $"Unable to find replication strategy class '{strategy}'");
        }

        if (shortName == "SimpleStrategy" && !replication.ContainsKey("replication_factor"))
        {
            throw new CqlEngineException(CqlErrorCode.ConfigError, "SimpleStrategy requires a replication_factor strategy option.");
        }
    }

    /// <summary>The keyspace DDL or a write would change; system keyspaces refuse, as Cassandra answers Unauthorized.</summary>
    public static void CheckModifiable(string keyspace)
    {
        if (SystemSchema.IsSystemKeyspace(keyspace))
        {
            throw new CqlEngineException(CqlErrorCode.Unauthorized, $"{keyspace} keyspace is not user-modifiable.");
        }
    }
}
