namespace Streaming.LocalCql.Parsing;

/// <summary>A value in query text: a literal, a bind marker, a collection literal or a function call.</summary>
internal abstract record Term;

internal enum LiteralKind
{
    String,
    Integer,
    Float,
    Uuid,
    Hex,
    Boolean,
    Null,
}

/// <summary>A constant; <see cref="Text"/> is its source spelling without quotes (numbers carry their sign).</summary>
internal sealed record LiteralTerm(LiteralKind Kind, string Text) : Term;

/// <summary>A <c>?</c> or <c>:name</c> marker; <see cref="Index"/> is its position among the statement's markers.</summary>
internal sealed record BindMarkerTerm(int Index, string? Name) : Term;

/// <summary><c>{k: v, ...}</c>; <c>{}</c> is an empty map or set, depending on the receiving column.</summary>
internal sealed record MapLiteralTerm(IReadOnlyList<KeyValuePair<Term, Term>> Entries) : Term;

/// <summary><c>{a, b}</c> (set) or <c>[a, b]</c> (list).</summary>
internal sealed record SequenceLiteralTerm(bool IsList, IReadOnlyList<Term> Items) : Term;

/// <summary>A function call such as <c>now()</c> or <c>toTimestamp(now())</c>; the name is lower-cased.</summary>
internal sealed record FunctionTerm(string Name, IReadOnlyList<Term> Arguments) : Term;
