using Streaming.Cql.Protocol;
using Streaming.LocalCql.Types;

namespace Streaming.LocalCql.Parsing;

/// <summary>CREATE / DROP / TRUNCATE of keyspaces and tables.</summary>
internal sealed partial class CqlParser
{
    private CqlStatement Create()
    {
        cursor.Keyword("create");
        if (cursor.TryKeyword("keyspace") || cursor.TryKeyword("schema"))
        {
            return CreateKeyspace();
        }

        if (cursor.TryKeyword("table") || cursor.TryKeyword("columnfamily"))
        {
            return CreateTable();
        }

        throw cursor.Current.Text switch
        {
            "index" or "custom" => Unsupported("CREATE INDEX"),
            "or" or "function" => Unsupported("CREATE FUNCTION"),
            "aggregate" => Unsupported("CREATE AGGREGATE"),
            "type" => Unsupported("CREATE TYPE"),
            "materialized" => Unsupported("CREATE MATERIALIZED VIEW"),
            "trigger" => Unsupported("CREATE TRIGGER"),
            "role" or "user" => Unsupported("CREATE " + cursor.Current.Text.ToUpperInvariant()),
            _ => cursor.Mismatch("KEYSPACE or TABLE"),
        };
    }

    private CreateKeyspaceStatement CreateKeyspace()
    {
        var ifNotExists = IfNotExists();
        var name = cursor.Name("a keyspace name");
        cursor.Keyword("with");
        IReadOnlyDictionary<string, string>? replication = null;
        var durableWrites = true;
        do
        {
            var property = cursor.Name("a keyspace property");
            cursor.Symbol("=");
            var value = Term();
            switch (property)
            {
                case "replication" when value is MapLiteralTerm map:
                    replication = map.Entries.ToDictionary(e => PropertyText(e.Key), e => PropertyText(e.Value), StringComparer.Ordinal);
                    break;
                case "durable_writes" when value is LiteralTerm { Kind: LiteralKind.Boolean or LiteralKind.String } flag:
                    durableWrites = bool.Parse(flag.Text);
                    break;
                default:
                    throw CqlEngineException.Syntax($"Unknown property '{property}'");
            }
        }
        while (cursor.TryKeyword("and"));

        return new CreateKeyspaceStatement(
            name, ifNotExists, replication ?? throw CqlEngineException.Syntax("Missing mandatory property 'replication'"), durableWrites);
    }

    private CreateTableStatement CreateTable()
    {
        var ifNotExists = IfNotExists();
        var table = QualifiedName("a table name");
        var columns = new List<ColumnDeclaration>();
        var partitionKey = new List<string>();
        var clustering = new List<string>();
        cursor.Symbol("(");
        do
        {
            if (cursor.TryKeyword("primary"))
            {
                cursor.Keyword("key");
                PrimaryKey(partitionKey, clustering);
                continue;
            }

            var name = cursor.Name("a column name");
            columns.Add(new ColumnDeclaration(name, Type()));
            if (cursor.TryKeyword("static"))
            {
                throw Unsupported("Static columns");
            }

            if (cursor.TryKeyword("primary"))
            {
                cursor.Keyword("key");
                if (partitionKey.Count > 0)
                {
                    throw CqlEngineException.Invalid("Multiple PRIMARY KEYs specified (exactly one required)");
                }

                partitionKey.Add(name);
            }
        }
        while (cursor.TrySymbol(",") && !cursor.Current.IsSymbol(")"));

        cursor.Symbol(")");
        var (order, options) = cursor.TryKeyword("with") ? TableOptions() : ([], new Dictionary<string, Term>());
        return new CreateTableStatement(table, ifNotExists, columns, partitionKey, clustering, order, options);
    }

    /// <summary><c>( pk | (pk1, pk2), ck1, ck2 )</c>.</summary>
    private void PrimaryKey(List<string> partitionKey, List<string> clustering)
    {
        if (partitionKey.Count > 0)
        {
            throw CqlEngineException.Invalid("Multiple PRIMARY KEYs specified (exactly one required)");
        }

        cursor.Symbol("(");
        if (cursor.TrySymbol("("))
        {
            partitionKey.AddRange(cursor.CommaSeparated(() => cursor.Name("a partition key column")));
            cursor.Symbol(")");
        }
        else
        {
            partitionKey.Add(cursor.Name("a partition key column"));
        }

        while (cursor.TrySymbol(","))
        {
            clustering.Add(cursor.Name("a clustering column"));
        }

        cursor.Symbol(")");
    }

    private (IReadOnlyList<ClusteringOrder> Order, Dictionary<string, Term> Options) TableOptions()
    {
        var order = new List<ClusteringOrder>();
        var options = new Dictionary<string, Term>(StringComparer.Ordinal);
        do
        {
            if (cursor.TryKeyword("clustering"))
            {
                cursor.Keyword("order");
                cursor.Keyword("by");
                cursor.Symbol("(");
                order.AddRange(cursor.CommaSeparated(Ordering));
                cursor.Symbol(")");
            }
            else if (cursor.Current.IsKeyword("compact"))
            {
                throw Unsupported("COMPACT STORAGE");
            }
            else
            {
                var name = cursor.Name("a table property");
                cursor.Symbol("=");
                options[name] = Term();
            }
        }
        while (cursor.TryKeyword("and"));

        return (order, options);
    }

    private ClusteringOrder Ordering()
    {
        var column = cursor.Name("a clustering column");
        var descending = cursor.TryKeyword("desc");
        if (!descending)
        {
            cursor.TryKeyword("asc");
        }

        return new ClusteringOrder(column, descending);
    }

    /// <summary>A column type: a native type name, <c>list&lt;t&gt;</c>, <c>set&lt;t&gt;</c>, <c>map&lt;k, v&gt;</c>, <c>frozen&lt;t&gt;</c>.</summary>
    private TypeSpec Type()
    {
        var token = cursor.Current;
        if (token.Kind != TokenKind.Identifier)
        {
            throw cursor.Mismatch("a type");
        }

        cursor.Take();
        switch (token.Text)
        {
            case "frozen":
                cursor.Symbol("<");
                var inner = Type();
                cursor.Symbol(">");
                return inner with { Frozen = true };
            case "list" or "set":
                cursor.Symbol("<");
                var element = Type().Type;
                cursor.Symbol(">");
                return new TypeSpec(token.Text == "list" ? CqlType.ListOf(element) : CqlType.SetOf(element), false);
            case "map":
                cursor.Symbol("<");
                var key = Type().Type;
                cursor.Symbol(",");
                var value = Type().Type;
                cursor.Symbol(">");
                return new TypeSpec(CqlType.MapOf(key, value), false);
            case "tuple":
                throw Unsupported("The tuple type");
            default:
                return new TypeSpec(CqlTypeNames.Native(token.Text), false);
        }
    }

    private CqlStatement Drop()
    {
        cursor.Keyword("drop");
        if (cursor.TryKeyword("keyspace") || cursor.TryKeyword("schema"))
        {
            var ifExists = IfExists();
            return new DropKeyspaceStatement(cursor.Name("a keyspace name"), ifExists);
        }

        if (cursor.TryKeyword("table") || cursor.TryKeyword("columnfamily"))
        {
            var ifExists = IfExists();
            return new DropTableStatement(QualifiedName("a table name"), ifExists);
        }

        throw cursor.Current.Kind == TokenKind.Identifier
            ? Unsupported("DROP " + cursor.Current.Text.ToUpperInvariant())
            : cursor.Mismatch("KEYSPACE or TABLE");
    }

    private TruncateStatement Truncate()
    {
        cursor.Keyword("truncate");
        _ = cursor.TryKeyword("table") || cursor.TryKeyword("columnfamily");
        return new TruncateStatement(QualifiedName("a table name"));
    }

    /// <summary>A property value as text: replication options are strings even when written as numbers.</summary>
    private static string PropertyText(Term term) => term switch
    {
        LiteralTerm literal when literal.Kind != LiteralKind.Null => literal.Text,
        _ => throw CqlEngineException.Syntax("Expected a constant in a keyspace property map"),
    };
}
