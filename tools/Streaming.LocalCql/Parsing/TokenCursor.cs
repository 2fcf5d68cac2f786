using System.Globalization;

namespace Streaming.LocalCql.Parsing;

/// <summary>Walks a token list for the parser and words syntax errors the way Cassandra does ("line L:C ...").</summary>
internal sealed class TokenCursor(IReadOnlyList<Token> tokens)
{
    /// <summary>Cassandra's reserved keywords: an unquoted name may not be one of them.</summary>
    private static readonly HashSet<string> Reserved =
    [
        "add", "allow", "alter", "and", "apply", "asc", "authorize", "batch", "begin", "by", "columnfamily", "create",
        "delete", "desc", "describe", "drop", "entries", "execute", "from", "full", "grant", "if", "in", "index",
        "infinity", "insert", "into", "keyspace", "limit", "modify", "nan", "norecursive", "not", "null", "of", "on",
        "or", "order", "primary", "rename", "revoke", "schema", "select", "set", "table", "to", "token", "truncate",
        "unlogged", "update", "use", "using", "view", "where", "with",
    ];

    private int index;

    public Token Current => tokens[index];

    public Token PeekAhead(int offset) => tokens[Math.Min(index + offset, tokens.Count - 1)];

    public bool AtEnd => Current.Kind == TokenKind.End;

    public Token Take() => tokens[index < tokens.Count - 1 ? index++ : index];

    public bool TryKeyword(string keyword)
    {
        if (!Current.IsKeyword(keyword))
        {
            return false;
        }

        index++;
        return true;
    }

    public bool TrySymbol(string symbol)
    {
        if (!Current.IsSymbol(symbol))
        {
            return false;
        }

        index++;
        return true;
    }

    public void Keyword(string keyword)
    {
        if (!TryKeyword(keyword))
        {
            throw Mismatch(keyword.ToUpperInvariant());
        }
    }

    public void Symbol(string symbol)
    {
        if (!TrySymbol(symbol))
        {
            throw Mismatch("'" + symbol + "'");
        }
    }

    /// <summary>A name: an unquoted identifier that is not reserved, or a quoted one.</summary>
    public string Name(string what)
    {
        var token = Current;
        if (token.Kind == TokenKind.QuotedIdentifier || (token.Kind == TokenKind.Identifier && !Reserved.Contains(token.Text)))
        {
            index++;
            return token.Text;
        }

        throw Mismatch(what);
    }

    /// <summary>True when the current token can start a name.</summary>
    public bool AtName => Current.Kind == TokenKind.QuotedIdentifier
        || (Current.Kind == TokenKind.Identifier && !Reserved.Contains(Current.Text));

    /// <summary>Parses <c>item (, item)*</c>.</summary>
    public List<T> CommaSeparated<T>(Func<T> item)
    {
        var items = new List<T> { item() };
        while (TrySymbol(","))
        {
            items.Add(item());
        }

        return items;
    }

    public CqlEngineException Mismatch(string expecting) =>
        CqlEngineException.Syntax(At(Current) + (Current.Kind == TokenKind.End
            ? $"mismatched input '<EOF>' expecting {expecting}"
            : $"mismatched input '{Current.Display}' expecting {expecting}"));

    public CqlEngineException NoViableAlternative() =>
        CqlEngineException.Syntax(At(Current) + $"no viable alternative at input '{Current.Display}'");

    private static string At(Token token) =>
        string.Create(CultureInfo.InvariantCulture, $"line {token.Line}:{token.Column - 1} ");
}
