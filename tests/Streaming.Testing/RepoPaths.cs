namespace Streaming.Testing;

public static class RepoPaths
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds Streaming.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Schemas => Path.Combine(Root, "schemas");

    /// <summary>A path below the repository root.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// The build output of another project (e.g. "senders/Streaming.Senders.Host"), built with the configuration and
    /// target framework of the running tests: a host runs from its own output, with its own dependencies.
    /// </summary>
    public static string OutputOf(string projectDirectory)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)); // bin/<configuration>/<tfm>
        return Of(projectDirectory, "bin", output.Parent!.Name, output.Name);
    }

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
