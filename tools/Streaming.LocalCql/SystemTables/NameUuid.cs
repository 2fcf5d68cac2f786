using System.Security.Cryptography;
using System.Text;

namespace Streaming.LocalCql.SystemTables;

/// <summary>
/// Name-based (version 3, MD5) UUIDs, as Java's UUID.nameUUIDFromBytes: the same name always gives the same id, so every
/// node derives the same host ids and system table ids without talking to the others.
/// </summary>
internal static class NameUuid
{
    public static Guid From(string name)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x30);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true);
    }
}
