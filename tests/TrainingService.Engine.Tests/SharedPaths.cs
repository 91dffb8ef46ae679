namespace TrainingService.Engine.Tests;

/// <summary>
/// Where the shared, read-only test inputs live (datasets, golden reference values). They sit beside the repository
/// (../shared), not inside it, so the path is found rather than hard-coded: env <c>TRAINING_SHARED_DIR</c>, else the
/// first directory above the test binaries that contains <c>shared/datasets</c>.
/// </summary>
public static class SharedPaths
{
    private static readonly Lazy<string> SharedDir = new(FindShared);

    /// <summary>The shared directory (contains datasets/ and golden/).</summary>
    public static string Shared => SharedDir.Value;

    public static string Datasets => Path.Combine(Shared, "datasets");

    /// <summary>Golden reference values: env <c>TRAINING_GOLDEN_DIR</c>, else <c>shared/golden</c>.</summary>
    public static string Golden =>
        Environment.GetEnvironmentVariable("TRAINING_GOLDEN_DIR") is { Length: > 0 } golden
            ? golden
            : Path.Combine(Shared, "golden");

    private static string FindShared()
    {
        if (Environment.GetEnvironmentVariable("TRAINING_SHARED_DIR") is { Length: > 0 } fromEnv)
            return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "datasets"))) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"no 'shared/datasets' directory found above {AppContext.BaseDirectory}; set TRAINING_SHARED_DIR");
    }
}
