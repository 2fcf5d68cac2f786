namespace Streaming.LocalStack.Tests;

/// <summary>Avro schemas the registry tests register: a User record and its evolutions, and builders for one-field records.</summary>
internal static class TestSchemas
{
    public const string UserV1 = """
        {"type":"record","name":"User","namespace":"test","fields":[
          {"name":"id","type":"string"},
          {"name":"name","type":"string"}]}
        """;

    public const string UserWithDefaultedEmail = """
        {"type":"record","name":"User","namespace":"test","fields":[
          {"name":"id","type":"string"},
          {"name":"name","type":"string"},
          {"name":"email","type":["null","string"],"default":null}]}
        """;

    public const string UserWithRequiredEmail = """
        {"type":"record","name":"User","namespace":"test","fields":[
          {"name":"id","type":"string"},
          {"name":"name","type":"string"},
          {"name":"email","type":"string"}]}
        """;

    public const string UserWithoutName = """
        {"type":"record","name":"User","namespace":"test","fields":[
          {"name":"id","type":"string"}]}
        """;

    public const string UserWithIntName = """
        {"type":"record","name":"User","namespace":"test","fields":[
          {"name":"id","type":"string"},
          {"name":"name","type":"int"}]}
        """;

    /// <summary>Record test.R with one field "f" of the given type.</summary>
    public static string Field(string type) =>
        $$"""{"type":"record","name":"R","namespace":"test","fields":[{"name":"f","type":{{type}}}]}""";

    public static string Enum(params string[] symbols) =>
        $$"""{"type":"enum","name":"Kind","symbols":[{{string.Join(",", symbols.Select(s => $"\"{s}\""))}}]}""";

    public static string Inner(params string[] fields) =>
        $$"""{"type":"record","name":"Inner","fields":[{{string.Join(",", fields.Select(f => $$"""{"name":{{f}},"type":"string"}"""))}}]}""";
}
