namespace TrainingService.Engine.Tests;

/// <summary>
/// Where the read-only reference data the tests share lives: the repository's <c>tests/data/</c> (datasets/, golden/,
/// golden/conv/; sources and licences in its README), found by walking up from the test binaries. Each part can be
/// pointed elsewhere, e.g. at a fuller set of golden files: env <c>TRAINING_SHARED_DIR</c> (a folder laid out like
/// tests/data), <c>TRAINING_GOLDEN_DIR</c> and <c>TRAINING_CONV_GOLDEN_DIR</c>. A folder named by a variable is used
/// as given, never replaced by the repository copy when it is missing (the tests then fail naming it).
/// </summary>
public static class SharedPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary><c>TRAINING_SHARED_DIR</c>, else the repository's <c>tests/data</c>.</summary>
    public static string Shared => Root.Value;

    public static string Datasets => Path.Combine(Shared, "datasets");

    /// <summary>MLP golden files (<c>mlp-golden/1</c>): <c>TRAINING_GOLDEN_DIR</c>, else <c>golden/</c>.</summary>
    public static string Golden => FromEnv("TRAINING_GOLDEN_DIR") ?? Path.Combine(Shared, "golden");

    /// <summary>Convolution golden files (<c>cnn-golden/1</c>): <c>TRAINING_CONV_GOLDEN_DIR</c>, else <c>golden/conv/</c>.</summary>
    public static string ConvGolden => FromEnv("TRAINING_CONV_GOLDEN_DIR") ?? Path.Combine(Shared, "golden", "conv");

    private static string? FromEnv(string name)
    {
        if (Environment.GetEnvironmentVariable(name) is not { Length: > 0 } dir) return null;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{name}={dir}: no such directory");
        return Path.GetFullPath(dir);
    }

    private static string FindRoot()
    {
        if (FromEnv("TRAINING_SHARED_DIR") is { } fromEnv) return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "data");
            if (Directory.Exists(Path.Combine(candidate, "datasets"))) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"no 'tests/data/datasets' directory found above {AppContext.BaseDirectory}; set TRAINING_SHARED_DIR");
    }
}
