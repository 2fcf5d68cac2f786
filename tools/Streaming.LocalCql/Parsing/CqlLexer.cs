using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Streaming.LocalCql.Parsing;

/// <summary>
/// Splits CQL text into tokens. Skips whitespace and the three comment forms CQL allows (<c>--</c>, <c>//</c>, <c>/* */</c>),
/// so schema files parse as written.
/// </summary>
internal sealed partial class CqlLexer(string text)
{
    private const string Symbols = "(),;.*=<>!?{}[]:+-";

    private readonly List<Token> tokens = [];
    private int position;
    private int line = 1;
    private int lineStart;

    public static IReadOnlyList<Token> Tokenize(string text) => new CqlLexer(text).Run();

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex UuidPattern();

    [GeneratedRegex(@"^\d+(\.\d*)?([eE][+-]?\d+)?")]
    private static partial Regex NumberPattern();

    private IReadOnlyList<Token> Run()
    {
        while (SkipSpaceAndComments())
        {
            tokens.Add(Next());
        }

        tokens.Add(new Token(TokenKind.End, "", line, position - lineStart + 1));
        return tokens;
    }

    private bool SkipSpaceAndComments()
    {
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '\n')
            {
                position++;
                line++;
                lineStart = position;
            }
            else if (char.IsWhiteSpace(c))
            {
                position++;
            }
            else if (StartsWith("--") || StartsWith("//"))
            {
                while (position < text.Length && text[position] != '\n')
                {
                    position++;
                }
            }
            else if (StartsWith("/*"))
            {
                var end = text.IndexOf("*/", position + 2, StringComparison.Ordinal);
                var stop = end < 0 ? text.Length : end + 2;
                while (position < stop)
                {
                    Advance();
                }
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private Token Next()
    {
        var column = position - lineStart + 1;
        var c = text[position];
        var rest = text.AsSpan(position);

        if (c == '\'')
        {
            return new Token(TokenKind.String, Quoted('\''), line, column);
        }

        if (c == '"')
        {
            return new Token(TokenKind.QuotedIdentifier, Quoted('"'), line, column);
        }

        if (StartsWith("$$"))
        {
            return new Token(TokenKind.String, DollarQuoted(), line, column);
        }

        if (char.IsAsciiHexDigit(c) && UuidPattern().Match(text, position, text.Length - position) is { Success: true } uuid
            && !IsWordChar(At(position + uuid.Length)))
        {
            position += uuid.Length;
            return new Token(TokenKind.Uuid, uuid.Value.ToLowerInvariant(), line, column);
        }

        if (c == '0' && (At(position + 1) is 'x' or 'X'))
        {
            var start = position += 2;
            while (char.IsAsciiHexDigit(At(position)))
            {
                position++;
            }

            return new Token(TokenKind.Hex, text[start..position], line, column);
        }

        if (char.IsAsciiDigit(c))
        {
            var number = NumberPattern().Match(text, position, text.Length - position).Value;
            position += number.Length;
            var kind = number.Contains('.', StringComparison.Ordinal) || number.Contains('e', StringComparison.OrdinalIgnoreCase)
                ? TokenKind.Float
                : TokenKind.Integer;
            return new Token(kind, number, line, column);
        }

        if (IsWordStart(c))
        {
            var start = position;
            while (IsWordChar(At(position)))
            {
                position++;
            }

            return new Token(TokenKind.Identifier, text[start..position].ToLowerInvariant(), line, column);
        }

        if (c == ':' && IsWordStart(At(position + 1)))
        {
            var start = ++position;
            while (IsWordChar(At(position)))
            {
                position++;
            }

            return new Token(TokenKind.NamedMarker, text[start..position].ToLowerInvariant(), line, column);
        }

        if (rest.StartsWith("<=") || rest.StartsWith(">=") || rest.StartsWith("!="))
        {
            position += 2;
            return new Token(TokenKind.Symbol, rest[..2].ToString(), line, column);
        }

        if (Symbols.Contains(c, StringComparison.Ordinal))
        {
            position++;
            return new Token(TokenKind.Symbol, c.ToString(), line, column);
        }

        throw CqlEngineException.Syntax(string.Create(CultureInfo.InvariantCulture, $"line {line}:{column - 1} character '{c}' is not valid CQL"));
    }

    /// <summary>Reads a quoted string or name; the quote doubled inside it stands for itself.</summary>
    private string Quoted(char quote)
    {
        var (startLine, startColumn) = (line, position - lineStart);
        var value = new StringBuilder();
        position++;
        while (true)
        {
            if (position >= text.Length)
            {
                throw CqlEngineException.Syntax(string.Create(CultureInfo.InvariantCulture, $"line {startLine}:{startColumn} unterminated quoted text"));
            }

            var c = Advance();
            if (c != quote)
            {
                value.Append(c);
            }
            else if (At(position) == quote)
            {
                value.Append(quote);
                position++;
            }
            else
            {
                return value.ToString();
            }
        }
    }

    private string DollarQuoted()
    {
        var end = text.IndexOf("$$", position + 2, StringComparison.Ordinal);
        if (end < 0)
        {
            throw CqlEngineException.Syntax(string.Create(CultureInfo.InvariantCulture, $"line {line}:{position - lineStart} unterminated $$ string"));
        }

        var value = text[(position + 2)..end];
        while (position < end + 2)
        {
            Advance();
        }

        return value;
    }

    private char Advance()
    {
        var c = text[position++];
        if (c == '\n')
        {
            line++;
            lineStart = position;
        }

        return c;
    }

    private bool StartsWith(string prefix) => text.AsSpan(position).StartsWith(prefix, StringComparison.Ordinal);

    private char At(int index) => index < text.Length ? text[index] : '\0';

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
