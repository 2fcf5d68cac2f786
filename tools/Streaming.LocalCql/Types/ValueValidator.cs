using System.Text;
using Streaming.Cql.Protocol;

namespace Streaming.LocalCql.Types;

/// <summary>
/// Checks that bound bytes are a valid encoding of the receiver's type before they are stored, as Cassandra does when it
/// binds a value (fixed sizes, UTF-8 text, 7-bit ascii, inet lengths, well-formed collections). Zero bytes (an empty
/// value) are valid for every non-collection type.
/// </summary>
internal static class ValueValidator
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static void Validate(CqlType type, ReadOnlySpan<byte> bytes, string receiver)
    {
        var problem = Problem(type, bytes);
        if (problem is not null)
        {
            throw CqlEngineException.Invalid($"Exception while binding column {receiver}: {problem}");
        }
    }

    private static string? Problem(CqlType type, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0 && type.Code is not (CqlTypeCode.List or CqlTypeCode.Set or CqlTypeCode.Map))
        {
            return null;
        }

        if (CqlTypeNames.FixedLength(type.Code) is { } length)
        {
            if (bytes.Length != length)
            {
                return $"Expected {length} or 0 byte {type} ({bytes.Length})";
            }

            return type.Code == CqlTypeCode.Timeuuid && TimeUuid.Version(bytes) != 1 ? "Unsupported UUID version for timeuuid" : null;
        }

        return type.Code switch
        {
            CqlTypeCode.Varchar => IsUtf8(bytes) ? null : "String didn't validate.",
            CqlTypeCode.Ascii => Ascii.IsValid(bytes) ? null : "Invalid byte for ascii",
            CqlTypeCode.Inet => bytes.Length is 4 or 16 ? null : $"Expected 4 or 16 byte inet address, got {bytes.Length}",
            CqlTypeCode.List or CqlTypeCode.Set => ElementsProblem(bytes, [type.Arguments[0]]),
            CqlTypeCode.Map => ElementsProblem(bytes, [type.Arguments[0], type.Arguments[1]]),
            _ => null,
        };
    }

    private static string? ElementsProblem(ReadOnlySpan<byte> bytes, CqlType[] elementTypes)
    {
        var elements = CollectionCodec.TryDecode(bytes, elementTypes.Length);
        if (elements is null)
        {
            return "Not enough bytes to read a collection";
        }

        return elements.Select((e, i) => Problem(elementTypes[i % elementTypes.Length], e)).FirstOrDefault(p => p is not null);
    }

    private static bool IsUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            StrictUtf8.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
