namespace Streaming.LocalCql.Parsing;

/// <summary>SELECT with its selectors, ORDER BY, LIMIT and ALLOW FILTERING.</summary>
internal sealed partial class CqlParser
{
    private SelectStatement Select()
    {
        cursor.Keyword("select");
        if (cursor.Current.IsKeyword("json") || cursor.Current.IsKeyword("distinct"))
        {
            throw Unsupported("SELECT " + cursor.Current.Text.ToUpperInvariant());
        }

        List<Selector>? selectors = cursor.TrySymbol("*") ? null : cursor.CommaSeparated(Selector);
        if (selectors is { Count: > 1 } && selectors.Any(s => s is CountSelector))
        {
            throw Unsupported("Selecting COUNT(*) together with other selectors");
        }

        cursor.Keyword("from");
        var table = QualifiedName("a table name");
        var where = Where() ?? [];
        if (cursor.Current.IsKeyword("group"))
        {
            throw Unsupported("GROUP BY");
        }

        var orderBy = new List<ClusteringOrder>();
        if (cursor.TryKeyword("order"))
        {
            cursor.Keyword("by");
            orderBy = cursor.CommaSeparated(Ordering);
        }

        if (cursor.Current.IsKeyword("per"))
        {
            throw Unsupported("PER PARTITION LIMIT");
        }

        var limit = cursor.TryKeyword("limit") ? Term() : null;
        var allowFiltering = false;
        if (cursor.TryKeyword("allow"))
        {
            cursor.Keyword("filtering");
            allowFiltering = true;
        }

        return new SelectStatement(table, selectors, where, orderBy, limit, allowFiltering);
    }

    private Selector Selector()
    {
        var start = cursor.Current;
        Selector selector;
        if (start.Kind == TokenKind.Identifier && cursor.PeekAhead(1).IsSymbol("("))
        {
            selector = FunctionSelector(start.Text);
        }
        else
        {
            selector = new ColumnSelector(cursor.Name("a column name or '*'"), null);
        }

        if (cursor.TryKeyword("as"))
        {
            var alias = cursor.Name("an alias");
            return selector with { Alias = alias };
        }

        return selector;
    }

    /// <summary><c>COUNT(*)</c>, <c>COUNT(1)</c>, <c>TTL(col)</c>, <c>WRITETIME(col)</c>; other functions are refused.</summary>
    private Selector FunctionSelector(string function)
    {
        cursor.Take();
        cursor.Symbol("(");
        Selector selector;
        switch (function)
        {
            case "count":
                if (cursor.Current is { Kind: TokenKind.Integer, Text: "1" })
                {
                    cursor.Take();
                }
                else if (!cursor.TrySymbol("*"))
                {
                    throw Unsupported("COUNT of a column");
                }

                selector = new CountSelector(null);
                break;
            case "ttl" or "writetime":
                selector = new CellMetadataSelector(function, cursor.Name("a column name"), null);
                break;
            default:
                throw Unsupported($"The function {function}() in a selection");
        }

        cursor.Symbol(")");
        return selector;
    }
}
