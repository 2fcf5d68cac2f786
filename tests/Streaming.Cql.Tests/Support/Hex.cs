namespace Streaming.Cql.Tests.Support;

/// <summary>Byte layouts written out by hand as spaced hex ("00 04 61 62"), the way the spec draws them.</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal).Replace("|", "", StringComparison.Ordinal));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    /// <summary>Asserts <paramref name="actual"/> equals the hand-written layout, showing both as hex on failure.</summary>
    public static void Equal(string expected, ReadOnlySpan<byte> actual) => Assert.Equal(Of(Bytes(expected)), Of(actual));

    /// <summary>Hex of a UTF-8 string, for layouts with text in them.</summary>
    public static string Utf8(string text) => Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(text));
}
