using System.ComponentModel.DataAnnotations;
using Confluent.SchemaRegistry;

namespace Streaming.Contracts;

/// <summary>Where the schema registry is; bound from the "SchemaRegistry" configuration section.</summary>
public sealed class SchemaRegistryOptions
{
    public const string Section = "SchemaRegistry";

    /// <summary>Comma-separated registry URLs (Confluent Schema Registry, or the local stack's registry).</summary>
    [Required]
    public string Url { get; set; } = "";

    /// <summary>Schemas cached per client before the oldest are evicted.</summary>
    public int MaxCachedSchemas { get; set; } = 1000;

    /// <summary>HTTP timeout of one registry call.</summary>
    public int RequestTimeoutMs { get; set; } = 10_000;

    /// <summary>Optional "user:password" for basic auth (from environment, never from the repo).</summary>
    public string? BasicAuthUserInfo { get; set; }

    public ISchemaRegistryClient CreateClient()
    {
        var config = new SchemaRegistryConfig
        {
            Url = Url,
            MaxCachedSchemas = MaxCachedSchemas,
            RequestTimeoutMs = RequestTimeoutMs,
        };
        if (!string.IsNullOrEmpty(BasicAuthUserInfo))
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = BasicAuthUserInfo;
        }

        return new CachedSchemaRegistryClient(config);
    }
}
