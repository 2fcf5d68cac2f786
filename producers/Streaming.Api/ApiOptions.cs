using System.Security.Cryptography;
using System.Text;

namespace Streaming.Api;

/// <summary>Settings of the HTTP API, bound from the "Api" section. Reloaded on change, so keys rotate without a restart.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Client applications and their keys.</summary>
    public List<ApiClient> Clients { get; set; } = [];

    /// <summary>Largest request body accepted, in bytes; larger ones get 413.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long an Idempotency-Key keeps mapping to the same event ID.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Idempotency keys remembered per API instance before the oldest are evicted.</summary>
    public int IdempotencyCapacity { get; set; } = 1_000_000;

    /// <summary>
    /// How long an accepted request waits for its "accepted" row in the delivery log before it is answered anyway (the
    /// request is in Kafka by then; the row is only what a status read shows first).
    /// </summary>
    public TimeSpan AcceptedRowTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>One client application allowed to call the API.</summary>
public sealed class ApiClient
{
    /// <summary>Name of the calling application; used as sourceService and in logs.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// SHA-256 hashes (lower-case hex) of the client's valid API keys. Several may be listed during a rotation;
    /// the keys themselves never appear in configuration files.
    /// </summary>
    public List<string> KeySha256 { get; set; } = [];

    /// <summary>Categories this client may send; "*" allows all.</summary>
    public List<string> Categories { get; set; } = [];

    /// <summary>Whether the client may write users, devices and preferences.</summary>
    public bool CanWriteContacts { get; set; }

    /// <summary>
    /// Whether the client may read the status of every notification (GET /v1/notifications/{eventId}); without it, only
    /// of those it sent (an operator's or support tool's permission).
    /// </summary>
    public bool CanReadAllStatuses { get; set; }

    /// <summary>Requests per second allowed for this client (token bucket); 0 = unlimited.</summary>
    public int RequestsPerSecond { get; set; }

    public bool MayUse(string category) => Categories.Contains("*") || Categories.Contains(category);

    /// <summary>The hash to configure for a key: lower-case hex SHA-256 of its UTF-8 bytes.</summary>
    public static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
