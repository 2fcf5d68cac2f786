namespace Streaming.Bench;

/// <summary>A fresh folder under the temp directory for one stage's files (delivery log, topology state), removed after.</summary>
internal static class ScratchDirectory
{
    public static string NewPath() => Path.Combine(Path.GetTempPath(), "streaming-bench", Guid.NewGuid().ToString("N"));

    public static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // a temp folder left behind is harmless
        }
        catch (UnauthorizedAccessException)
        {
            // the same
        }
    }
}
