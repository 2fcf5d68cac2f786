namespace Streaming.LocalCql.Parsing;

/// <summary>Terms: constants, bind markers, collection literals and function calls.</summary>
internal sealed partial class CqlParser
{
    private Term Term()
    {
        var token = cursor.Current;
        switch (token.Kind)
        {
            case TokenKind.String:
                cursor.Take();
                return new LiteralTerm(LiteralKind.String, token.Text);
            case TokenKind.Integer:
                cursor.Take();
                return new LiteralTerm(LiteralKind.Integer, token.Text);
            case TokenKind.Float:
                cursor.Take();
                return new LiteralTerm(LiteralKind.Float, token.Text);
            case TokenKind.Uuid:
                cursor.Take();
                return new LiteralTerm(LiteralKind.Uuid, token.Text);
            case TokenKind.Hex:
                cursor.Take();
                return new LiteralTerm(LiteralKind.Hex, token.Text);
            case TokenKind.NamedMarker:
                cursor.Take();
                return Marker(token.Text);
            case TokenKind.Identifier:
                return IdentifierTerm(token);
            case TokenKind.Symbol:
                return SymbolTerm(token);
            default:
                throw cursor.Mismatch("a value");
        }
    }

    private Term IdentifierTerm(Token token)
    {
        cursor.Take();
        switch (token.Text)
        {
            case "true" or "false":
                return new LiteralTerm(LiteralKind.Boolean, token.Text);
            case "null":
                return new LiteralTerm(LiteralKind.Null, "null");
            case "nan":
                return new LiteralTerm(LiteralKind.Float, "NaN");
            case "infinity":
                return new LiteralTerm(LiteralKind.Float, "Infinity");
        }

        if (!cursor.TrySymbol("("))
        {
            throw CqlEngineException.Syntax($"line {token.Line}:{token.Column - 1} no viable alternative at input '{token.Display}'");
        }

        var arguments = cursor.Current.IsSymbol(")") ? [] : cursor.CommaSeparated(Term);
        cursor.Symbol(")");
        return new FunctionTerm(token.Text, arguments);
    }

    private Term SymbolTerm(Token token)
    {
        cursor.Take();
        switch (token.Text)
        {
            case "?":
                return Marker(null);
            case "-":
                var number = cursor.Take();
                if (number.Kind is TokenKind.Integer or TokenKind.Float)
                {
                    return new LiteralTerm(number.Kind == TokenKind.Integer ? LiteralKind.Integer : LiteralKind.Float, "-" + number.Text);
                }

                if (number.IsKeyword("infinity"))
                {
                    return new LiteralTerm(LiteralKind.Float, "-Infinity");
                }

                throw CqlEngineException.Syntax($"line {number.Line}:{number.Column - 1} no viable alternative at input '{number.Display}'");
            case "[":
                var items = cursor.Current.IsSymbol("]") ? [] : cursor.CommaSeparated(Term);
                cursor.Symbol("]");
                return new SequenceLiteralTerm(true, items);
            case "{":
                return BraceLiteral();
            case "(":
                throw Unsupported("Type casts and tuple literals");
            default:
                throw CqlEngineException.Syntax($"line {token.Line}:{token.Column - 1} no viable alternative at input '{token.Display}'");
        }
    }

    /// <summary>After <c>{</c>: a map (<c>k: v</c> entries), a set, or <c>{}</c> (an empty map or set).</summary>
    private Term BraceLiteral()
    {
        if (cursor.TrySymbol("}"))
        {
            return new MapLiteralTerm([]);
        }

        var first = Term();
        if (!cursor.TrySymbol(":"))
        {
            var items = new List<Term> { first };
            while (cursor.TrySymbol(","))
            {
                items.Add(Term());
            }

            cursor.Symbol("}");
            return new SequenceLiteralTerm(false, items);
        }

        var entries = new List<KeyValuePair<Term, Term>> { new(first, Term()) };
        while (cursor.TrySymbol(","))
        {
            var key = Term();
            cursor.Symbol(":");
            entries.Add(new(key, Term()));
        }

        cursor.Symbol("}");
        return new MapLiteralTerm(entries);
    }

    private BindMarkerTerm Marker(string? name)
    {
        var marker = new BindMarkerTerm(markers.Count, name);
        markers.Add(marker);
        return marker;
    }
}
