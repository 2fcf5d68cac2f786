using Streaming.Cql;

namespace Streaming.LocalCql.Parsing;

/// <summary>INSERT, UPDATE, DELETE, BEGIN BATCH and the WHERE relations they share with SELECT.</summary>
internal sealed partial class CqlParser
{
    private InsertStatement Insert()
    {
        cursor.Keyword("insert");
        cursor.Keyword("into");
        var table = QualifiedName("a table name");
        if (cursor.Current.IsKeyword("json"))
        {
            throw Unsupported("INSERT JSON");
        }

        cursor.Symbol("(");
        var columns = cursor.CommaSeparated(() => cursor.Name("a column name"));
        cursor.Symbol(")");
        cursor.Keyword("values");
        cursor.Symbol("(");
        var values = cursor.CommaSeparated(Term);
        cursor.Symbol(")");
        if (columns.Count != values.Count)
        {
            throw CqlEngineException.Invalid($"Unmatched column names/values: {columns.Count} columns, {values.Count} values");
        }

        var ifNotExists = IfNotExists();
        return new InsertStatement(table, columns, values, ifNotExists, Using());
    }

    private UpdateStatement Update()
    {
        cursor.Keyword("update");
        var table = QualifiedName("a table name");
        var usingClause = Using();
        cursor.Keyword("set");
        var assignments = cursor.CommaSeparated(Assignment);
        var where = Where() ?? throw cursor.Mismatch("WHERE");
        NoCondition("UPDATE");
        return new UpdateStatement(table, usingClause, assignments, where);
    }

    private Assignment Assignment()
    {
        var column = cursor.Name("a column name");
        if (cursor.Current.IsSymbol("["))
        {
            throw Unsupported("Setting a collection element");
        }

        cursor.Symbol("=");
        // c = c + x (counters, collection appends) and c = x + c (collection prepends).
        var increment = cursor.AtName && IsPlusOrMinus(cursor.PeekAhead(1));
        var value = increment ? null : Term();
        if (value is null || IsPlusOrMinus(cursor.Current))
        {
            throw Unsupported("Counter and collection increments");
        }

        return new Assignment(column, value);
    }

    private static bool IsPlusOrMinus(Token token) => token.IsSymbol("+") || token.IsSymbol("-");

    private DeleteStatement Delete()
    {
        cursor.Keyword("delete");
        var columns = new List<string>();
        if (!cursor.Current.IsKeyword("from"))
        {
            columns = cursor.CommaSeparated(() => cursor.Name("a column name"));
            if (cursor.Current.IsSymbol("[") || cursor.Current.IsSymbol("."))
            {
                throw Unsupported("Deleting a collection element or field");
            }
        }

        cursor.Keyword("from");
        var table = QualifiedName("a table name");
        var usingClause = Using();
        if (usingClause.Ttl is not null)
        {
            throw CqlEngineException.Invalid("TTL is not supported in DELETE statements");
        }

        var where = Where() ?? throw cursor.Mismatch("WHERE");
        NoCondition("DELETE");
        return new DeleteStatement(columns, table, usingClause, where);
    }

    private BatchStatement Batch()
    {
        cursor.Keyword("begin");
        var kind = cursor.TryKeyword("unlogged") ? BatchType.Unlogged
            : cursor.TryKeyword("counter") ? BatchType.Counter
            : BatchType.Logged;
        cursor.Keyword("batch");
        var usingClause = Using();
        var statements = new List<ModificationStatement>();
        while (!cursor.TryKeyword("apply"))
        {
            statements.Add(cursor.Current.Text switch
            {
                "insert" => Insert(),
                "update" => Update(),
                "delete" => Delete(),
                _ => throw cursor.Mismatch("INSERT, UPDATE, DELETE or APPLY BATCH"),
            });
            cursor.TrySymbol(";");
        }

        cursor.Keyword("batch");
        return new BatchStatement(kind, usingClause, statements);
    }

    /// <summary><c>USING TTL x [AND TIMESTAMP y]</c> in either order, or nothing.</summary>
    private UsingClause Using()
    {
        if (!cursor.TryKeyword("using"))
        {
            return UsingClause.None;
        }

        Term? ttl = null;
        Term? timestamp = null;
        do
        {
            if (cursor.TryKeyword("ttl"))
            {
                ttl = Term();
            }
            else if (cursor.TryKeyword("timestamp"))
            {
                timestamp = Term();
            }
            else
            {
                throw cursor.Mismatch("TTL or TIMESTAMP");
            }
        }
        while (cursor.TryKeyword("and"));

        return new UsingClause(ttl, timestamp);
    }

    /// <summary><c>WHERE relation (AND relation)*</c>, or null when there is no WHERE.</summary>
    private List<Relation>? Where()
    {
        if (!cursor.TryKeyword("where"))
        {
            return null;
        }

        var relations = new List<Relation> { Relation() };
        while (cursor.TryKeyword("and"))
        {
            relations.Add(Relation());
        }

        return relations;
    }

    private Relation Relation()
    {
        if (cursor.Current.IsKeyword("token"))
        {
            throw Unsupported("token() restrictions");
        }

        if (cursor.Current.IsSymbol("("))
        {
            throw Unsupported("Multi-column relations");
        }

        var column = cursor.Name("a column name");
        var token = cursor.Take();
        if (token.IsKeyword("in"))
        {
            if (cursor.Current.Kind is TokenKind.NamedMarker || cursor.Current.IsSymbol("?"))
            {
                return new Relation(column, RelationOperator.In, [Term()], InMarker: true);
            }

            cursor.Symbol("(");
            var values = cursor.Current.IsSymbol(")") ? [] : cursor.CommaSeparated(Term);
            cursor.Symbol(")");
            return new Relation(column, RelationOperator.In, values);
        }

        var op = token switch
        {
            _ when token.IsSymbol("=") => RelationOperator.Equal,
            _ when token.IsSymbol("<") => RelationOperator.Less,
            _ when token.IsSymbol("<=") => RelationOperator.LessOrEqual,
            _ when token.IsSymbol(">") => RelationOperator.Greater,
            _ when token.IsSymbol(">=") => RelationOperator.GreaterOrEqual,
            _ when token.IsSymbol("!=") => throw CqlEngineException.Invalid("Unsupported \"!=\" relation: " + column + " != ..."),
            _ when token.IsKeyword("contains") => throw Unsupported("CONTAINS"),
            _ when token.IsKeyword("like") => throw Unsupported("LIKE"),
            _ when token.IsKeyword("is") => throw Unsupported("IS NOT NULL"),
            _ => throw CqlEngineException.Syntax($"line {token.Line}:{token.Column - 1} no viable alternative at input '{token.Display}'"),
        };
        return new Relation(column, op, [Term()]);
    }

    /// <summary>Lightweight transactions on UPDATE and DELETE (<c>IF EXISTS</c>, <c>IF col = x</c>) are refused.</summary>
    private void NoCondition(string statement)
    {
        if (cursor.Current.IsKeyword("if"))
        {
            throw Unsupported($"Conditional {statement} (IF ...)");
        }
    }
}
