namespace Streaming.LocalCql.Parsing;

internal enum TokenKind
{
    /// <summary>An unquoted name or keyword; <see cref="Token.Text"/> is lower-cased, as CQL folds unquoted names.</summary>
    Identifier,

    /// <summary>A double-quoted name; case and doubled quotes resolved.</summary>
    QuotedIdentifier,

    /// <summary>A single-quoted or $$-quoted string, unescaped.</summary>
    String,
    Integer,
    Float,
    Uuid,

    /// <summary>A 0x... blob constant; <see cref="Token.Text"/> holds the hex digits.</summary>
    Hex,

    /// <summary>Punctuation or an operator: ( ) , ; . * = &lt; &gt; &lt;= &gt;= != ? { } [ ] : + -.</summary>
    Symbol,

    /// <summary>A named bind marker <c>:name</c>; <see cref="Token.Text"/> holds the name.</summary>
    NamedMarker,
    End,
}

/// <summary>One lexical token with its 1-based line and column, for error messages in Cassandra's "line L:C" style.</summary>
internal sealed record Token(TokenKind Kind, string Text, int Line, int Column)
{
    public bool IsKeyword(string keyword) => Kind == TokenKind.Identifier && Text == keyword;

    public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && Text == symbol;

    /// <summary>How the token reads in an error message.</summary>
    public string Display => Kind switch
    {
        TokenKind.End => "<EOF>",
        TokenKind.String => "'" + Text + "'",
        TokenKind.QuotedIdentifier => "\"" + Text + "\"",
        TokenKind.Hex => "0x" + Text,
        TokenKind.NamedMarker => ":" + Text,
        _ => Text,
    };
}
