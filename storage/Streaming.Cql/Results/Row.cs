using System.Net;
using Streaming.Cql.Protocol;
using Streaming.Cql.Types;

namespace Streaming.Cql.Results;

/// <summary>
/// One row: typed getters by column index or name, decoding on access. A getter of the wrong type throws
/// <see cref="InvalidCastException"/> naming the column; value-type getters on a null cell throw (check
/// <see cref="IsNull(int)"/>), reference-type getters return null. Null collections read as empty (CQL does
/// not tell an empty collection from null).
/// </summary>
public sealed class Row(ColumnDefinitions columns, IReadOnlyList<ReadOnlyMemory<byte>?> values)
{
    public ColumnDefinitions Columns { get; } = columns;

    public bool IsNull(int index) => values[index] is null;

    public bool IsNull(string name) => IsNull(Columns.Require(name));

    /// <summary>The cell's serialized bytes, or null.</summary>
    public ReadOnlyMemory<byte>? GetRaw(int index) => values[index];

    public ReadOnlyMemory<byte>? GetRaw(string name) => GetRaw(Columns.Require(name));

    /// <summary>The cell decoded by its column type (see <see cref="CqlValueCodec"/> for the .NET types).</summary>
    public object? GetValue(int index) => values[index] is { } bytes ? CqlValueCodec.Decode(bytes, Columns[index].Type) : null;

    public object? GetValue(string name) => GetValue(Columns.Require(name));

    /// <summary>The cell decoded and cast to <typeparamref name="T"/>.</summary>
    public T GetValue<T>(int index) => CqlValueCodec.Cast<T>(GetValue(index), Describe(index));

    public T GetValue<T>(string name) => GetValue<T>(Columns.Require(name));

    public string? GetString(int index) => GetValue<string?>(index);

    public string? GetString(string name) => GetValue<string?>(name);

    public int GetInt32(int index) => GetValue<int>(index);

    public int GetInt32(string name) => GetValue<int>(name);

    public long GetInt64(int index) => GetValue<long>(index);

    public long GetInt64(string name) => GetValue<long>(name);

    public double GetDouble(int index) => GetValue<double>(index);

    public double GetDouble(string name) => GetValue<double>(name);

    public bool GetBoolean(int index) => GetValue<bool>(index);

    public bool GetBoolean(string name) => GetValue<bool>(name);

    public DateTimeOffset GetDateTimeOffset(int index) => GetValue<DateTimeOffset>(index);

    public DateTimeOffset GetDateTimeOffset(string name) => GetValue<DateTimeOffset>(name);

    public Guid GetGuid(int index) => GetValue<Guid>(index);

    public Guid GetGuid(string name) => GetValue<Guid>(name);

    public byte[]? GetBytes(int index) => GetValue<byte[]?>(index);

    public byte[]? GetBytes(string name) => GetValue<byte[]?>(name);

    public IPAddress? GetInet(int index) => GetValue<IPAddress?>(index);

    public IPAddress? GetInet(string name) => GetValue<IPAddress?>(name);

    public Dictionary<TKey, TValue> GetDictionary<TKey, TValue>(int index) where TKey : notnull
        => values[index] is { } bytes ? CollectionCodec.DecodeDictionary<TKey, TValue>(bytes, Columns[index].Type, Describe(index)) : [];

    public Dictionary<TKey, TValue> GetDictionary<TKey, TValue>(string name) where TKey : notnull => GetDictionary<TKey, TValue>(Columns.Require(name));

    public List<T> GetList<T>(int index)
        => values[index] is { } bytes ? CollectionCodec.DecodeList<T>(bytes, Columns[index].Type, Describe(index)) : [];

    public List<T> GetList<T>(string name) => GetList<T>(Columns.Require(name));

    public HashSet<T> GetSet<T>(int index) => [.. GetList<T>(index)];

    public HashSet<T> GetSet<T>(string name) => GetSet<T>(Columns.Require(name));

    private string Describe(int index) => $"Column '{Columns[index].Name}' ({Columns[index].Type})";
}
