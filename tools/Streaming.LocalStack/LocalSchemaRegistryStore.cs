using System.Globalization;
using Avro;

namespace Streaming.LocalStack;

/// <summary>A schema known to the registry under one global id, whatever subjects use it.</summary>
internal sealed record StoredSchema(int Id, string Guid, string Text, string Canonical, Schema Parsed);

/// <summary>One version of one subject.</summary>
internal sealed record SubjectVersion(string Subject, int Version, StoredSchema Schema);

/// <summary>Outcome of a registration: the version under the subject and whether it was new.</summary>
internal sealed record Registration(SubjectVersion Version, bool Created);

/// <summary>Result of a compatibility check, with Confluent-style detail messages.</summary>
internal sealed record CompatibilityVerdict(bool IsCompatible, IReadOnlyList<string> Messages);

/// <summary>
/// The registry's in-memory state. One lock guards everything: calls are rare (serializers cache ids)
/// and each is cheap, so simplicity wins over concurrency.
/// </summary>
internal sealed class LocalSchemaRegistryStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<int, StoredSchema> byId = [];
    private readonly Dictionary<string, StoredSchema> byGuid = new(StringComparer.OrdinalIgnoreCase);
    // Canonical text → schema: identical schemas share one global id across subjects, as in Confluent.
    private readonly Dictionary<string, StoredSchema> byCanonical = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SubjectState> subjects = new(StringComparer.Ordinal);
    // Subject configs live apart from subjects: Confluent accepts a config before the first version.
    private readonly Dictionary<string, CompatibilityLevel> subjectLevels = new(StringComparer.Ordinal);
    private CompatibilityLevel globalLevel = CompatibilityLevel.Backward;
    private int lastId;

    private sealed class SubjectState
    {
        public List<SubjectVersion> Versions { get; } = [];

        // Versions are never reused, even after a delete, so a version number always means one schema.
        public int LastVersion { get; set; }
    }

    public Registration Register(string subject, SchemaRequestBody body)
    {
        var (parsed, canonical) = Parse(body);
        lock (gate)
        {
            subjects.TryGetValue(subject, out var state);
            var existing = state?.Versions.FirstOrDefault(v => v.Schema.Canonical == canonical);
            if (existing is not null)
            {
                return new Registration(existing, Created: false);
            }

            var level = LevelOf(subject);
            var verdict = CheckAgainst(level, parsed, state is null ? [] : level.IsTransitive() ? state.Versions : state.Versions.TakeLast(1));
            if (!verdict.IsCompatible)
            {
                throw LocalSchemaRegistryException.Incompatible(subject, verdict.Messages);
            }

            if (!byCanonical.TryGetValue(canonical, out var stored))
            {
                stored = new StoredSchema(++lastId, System.Guid.NewGuid().ToString(), body.Schema!, canonical, parsed);
                byCanonical[canonical] = stored;
                byId[stored.Id] = stored;
                byGuid[stored.Guid] = stored;
            }

            if (state is null)
            {
                state = new SubjectState();
                subjects[subject] = state;
            }

            var version = new SubjectVersion(subject, ++state.LastVersion, stored);
            state.Versions.Add(version);
            return new Registration(version, Created: true);
        }
    }

    public SubjectVersion Lookup(string subject, SchemaRequestBody body)
    {
        var (_, canonical) = Parse(body);
        lock (gate)
        {
            return Subject(subject).Versions.FirstOrDefault(v => v.Schema.Canonical == canonical)
                ?? throw LocalSchemaRegistryException.SchemaNotFound();
        }
    }

    public SubjectVersion GetVersion(string subject, string version)
    {
        var number = ParseVersion(version);
        lock (gate)
        {
            return Find(Subject(subject), number);
        }
    }

    public IReadOnlyList<int> Versions(string subject)
    {
        lock (gate)
        {
            return Subject(subject).Versions.Select(v => v.Version).ToList();
        }
    }

    public IReadOnlyList<string> Subjects()
    {
        lock (gate)
        {
            return subjects.Where(s => s.Value.Versions.Count > 0).Select(s => s.Key).ToList();
        }
    }

    public IReadOnlyList<int> DeleteSubject(string subject)
    {
        lock (gate)
        {
            var state = Subject(subject);
            var versions = state.Versions.Select(v => v.Version).ToList();
            // The state stays (empty) so the subject's next version number continues after the deleted ones.
            state.Versions.Clear();
            return versions;
        }
    }

    public StoredSchema SchemaById(int id)
    {
        lock (gate)
        {
            return byId.GetValueOrDefault(id) ?? throw LocalSchemaRegistryException.SchemaIdNotFound(id);
        }
    }

    public StoredSchema SchemaByGuid(string guid)
    {
        lock (gate)
        {
            return byGuid.GetValueOrDefault(guid) ?? throw LocalSchemaRegistryException.SchemaNotFound();
        }
    }

    public IReadOnlyList<SubjectVersion> UsesOf(int id)
    {
        lock (gate)
        {
            if (!byId.ContainsKey(id))
            {
                throw LocalSchemaRegistryException.SchemaIdNotFound(id);
            }

            return subjects.Values.SelectMany(s => s.Versions).Where(v => v.Schema.Id == id).ToList();
        }
    }

    /// <summary>
    /// Checks a candidate against one version ("latest" or a number) under the subject's level. A
    /// subject without versions accepts anything for "latest", like Confluent, so pipelines can check
    /// before the first registration.
    /// </summary>
    public CompatibilityVerdict TestCompatibility(string subject, string version, SchemaRequestBody body)
    {
        var number = ParseVersion(version);
        var (parsed, _) = Parse(body);
        lock (gate)
        {
            var level = LevelOf(subject);
            if (number is null && !HasVersions(subject))
            {
                return new CompatibilityVerdict(true, []);
            }

            return CheckAgainst(level, parsed, [Find(Subject(subject), number)]);
        }
    }

    public CompatibilityLevel GetLevel(string? subject, bool defaultToGlobal)
    {
        lock (gate)
        {
            if (subject is null)
            {
                return globalLevel;
            }

            if (subjectLevels.TryGetValue(subject, out var level))
            {
                return level;
            }

            return defaultToGlobal ? globalLevel : throw LocalSchemaRegistryException.SubjectConfigNotFound(subject);
        }
    }

    public void SetLevel(string? subject, CompatibilityLevel level)
    {
        lock (gate)
        {
            if (subject is null)
            {
                globalLevel = level;
            }
            else
            {
                subjectLevels[subject] = level;
            }
        }
    }

    public CompatibilityLevel DeleteLevel(string subject)
    {
        lock (gate)
        {
            return subjectLevels.Remove(subject, out var level) ? level : throw LocalSchemaRegistryException.SubjectConfigNotFound(subject);
        }
    }

    private CompatibilityLevel LevelOf(string subject) => subjectLevels.GetValueOrDefault(subject, globalLevel);

    private bool HasVersions(string subject) => subjects.TryGetValue(subject, out var state) && state.Versions.Count > 0;

    private SubjectState Subject(string subject) =>
        HasVersions(subject) ? subjects[subject] : throw LocalSchemaRegistryException.SubjectNotFound(subject);

    private static SubjectVersion Find(SubjectState state, int? version) =>
        version is null
            ? state.Versions[^1]
            : state.Versions.FirstOrDefault(v => v.Version == version) ?? throw LocalSchemaRegistryException.VersionNotFound(version.Value);

    /// <summary>Null means "latest" (Confluent also takes -1 for it).</summary>
    private static int? ParseVersion(string version)
    {
        if (version.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return int.TryParse(version, NumberStyles.None | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && (number >= 1 || number == -1)
            ? number == -1 ? null : number
            : throw LocalSchemaRegistryException.InvalidVersion(version);
    }

    private static CompatibilityVerdict CheckAgainst(CompatibilityLevel level, Schema candidate, IEnumerable<SubjectVersion> earlier)
    {
        if (level == CompatibilityLevel.None)
        {
            return new CompatibilityVerdict(true, []);
        }

        // Newest first, so the first message names the version a producer most likely meant.
        foreach (var old in earlier.Reverse())
        {
            var problems = new List<AvroIncompatibility>();
            if (level.ChecksBackward())
            {
                problems.AddRange(AvroCompatibilityChecker.Check(candidate, old.Schema.Parsed, "new", "old"));
            }

            if (level.ChecksForward())
            {
                problems.AddRange(AvroCompatibilityChecker.Check(old.Schema.Parsed, candidate, "old", "new"));
            }

            if (problems.Count > 0)
            {
                return new CompatibilityVerdict(false,
                [
                    .. problems.Select(p => p.ToString()),
                    $"{{oldSchemaVersion: {old.Version}}}",
                    $"{{oldSchema: '{old.Schema.Text}'}}",
                    $"{{compatibility: '{level.ToWire()}'}}",
                ]);
            }
        }

        return new CompatibilityVerdict(true, []);
    }

    /// <summary>Validates a request's schema and returns it parsed, with the canonical text identity is decided by.</summary>
    private static (Schema Parsed, string Canonical) Parse(SchemaRequestBody body)
    {
        if (body.SchemaType is { } type && !type.Equals("AVRO", StringComparison.OrdinalIgnoreCase))
        {
            throw LocalSchemaRegistryException.InvalidSchema($"schemaType '{type}' is not supported by the local schema registry; only AVRO is.");
        }

        if (body.References is { Count: > 0 })
        {
            throw LocalSchemaRegistryException.InvalidSchema("schema references are not supported by the local schema registry.");
        }

        if (string.IsNullOrWhiteSpace(body.Schema))
        {
            throw LocalSchemaRegistryException.InvalidSchema("the request has no schema.");
        }

        try
        {
            var parsed = Schema.Parse(body.Schema);
            // Apache.Avro's JSON form drops whitespace and orders attributes, so equal schemas compare equal.
            return (parsed, parsed.ToString());
        }
        catch (Exception e) when (e is AvroException or Newtonsoft.Json.JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw LocalSchemaRegistryException.InvalidSchema(e.Message);
        }
    }
}
