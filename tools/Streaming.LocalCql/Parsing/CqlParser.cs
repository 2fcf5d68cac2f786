namespace Streaming.LocalCql.Parsing;

/// <summary>
/// Recursive-descent parser for the CQL subset the local server executes. Statements outside the subset that Cassandra
/// would accept fail with an INVALID error naming the feature; text that is not CQL fails with a SYNTAX error.
/// </summary>
internal sealed partial class CqlParser
{
    private readonly TokenCursor cursor;
    private readonly List<BindMarkerTerm> markers = [];

    private CqlParser(IReadOnlyList<Token> tokens)
    {
        cursor = new TokenCursor(tokens);
    }

    /// <summary>Parses one statement; a trailing <c>;</c> is allowed.</summary>
    public static ParsedQuery Parse(string text)
    {
        var parser = new CqlParser(CqlLexer.Tokenize(text));
        var statement = parser.Statement();
        parser.cursor.TrySymbol(";");
        if (!parser.cursor.AtEnd)
        {
            throw parser.cursor.Mismatch("<EOF>");
        }

        return new ParsedQuery(statement, parser.markers);
    }

    /// <summary>Parses a script of <c>;</c>-separated statements without bind markers, such as a schema file.</summary>
    public static IReadOnlyList<CqlStatement> ParseScript(string text)
    {
        var parser = new CqlParser(CqlLexer.Tokenize(text));
        var statements = new List<CqlStatement>();
        while (!parser.cursor.AtEnd)
        {
            if (parser.cursor.TrySymbol(";"))
            {
                continue;
            }

            statements.Add(parser.Statement());
            if (!parser.cursor.AtEnd)
            {
                parser.cursor.Symbol(";");
            }
        }

        if (parser.markers.Count > 0)
        {
            throw CqlEngineException.Invalid("Bind markers are not allowed in a script");
        }

        return statements;
    }

    private CqlStatement Statement()
    {
        var first = cursor.Current;
        if (first.Kind != TokenKind.Identifier)
        {
            throw cursor.NoViableAlternative();
        }

        return first.Text switch
        {
            "select" => Select(),
            "insert" => Insert(),
            "update" => Update(),
            "delete" => Delete(),
            "begin" => Batch(),
            "use" => Use(),
            "create" => Create(),
            "drop" => Drop(),
            "truncate" => Truncate(),
            "alter" => throw Unsupported("ALTER " + cursor.PeekAhead(1).Text.ToUpperInvariant()),
            "grant" or "revoke" or "list" => throw Unsupported("Permissions and roles (" + first.Text.ToUpperInvariant() + ")"),
            "describe" or "desc" => throw Unsupported("DESCRIBE"),
            _ => throw cursor.NoViableAlternative(),
        };
    }

    private UseStatement Use()
    {
        cursor.Keyword("use");
        return new UseStatement(cursor.Name("a keyspace name"));
    }

    /// <summary><c>ks.name</c> or <c>name</c>.</summary>
    private QualifiedName QualifiedName(string what)
    {
        var first = cursor.Name(what);
        if (!cursor.TrySymbol("."))
        {
            return new QualifiedName(null, first);
        }

        return new QualifiedName(first, cursor.Name(what));
    }

    /// <summary><c>IF NOT EXISTS</c>, when present.</summary>
    private bool IfNotExists()
    {
        if (!cursor.TryKeyword("if"))
        {
            return false;
        }

        cursor.Keyword("not");
        cursor.Keyword("exists");
        return true;
    }

    /// <summary><c>IF EXISTS</c>, when present.</summary>
    private bool IfExists()
    {
        if (!cursor.TryKeyword("if"))
        {
            return false;
        }

        cursor.Keyword("exists");
        return true;
    }

    private static CqlEngineException Unsupported(string feature) => CqlEngineException.Unsupported(feature);
}
