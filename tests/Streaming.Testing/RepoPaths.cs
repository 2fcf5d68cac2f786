namespace Streaming.Testing;

public static class RepoPaths
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds Streaming.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Schemas => Path.Combine(Root, "schemas");

    /// <summary>A path below the repository root.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Streaming.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Streaming.sln not found above " + AppContext.BaseDirectory);
    }
}
