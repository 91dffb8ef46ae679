using System.Collections.Concurrent;

using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Data;

/// <summary>
/// Resolves a dataset name from a run spec, in this order: a synthetic generator, <c>mnist</c>
/// (IDX files in <c>&lt;dataDirectory&gt;/mnist</c> when there are any, else the built-in t10k set), the other
/// <see cref="BuiltInDatasets"/> (iris, wine, breast_cancer, digits), then a CSV file <c>&lt;dataDirectory&gt;/NAME.csv</c> or
/// <c>&lt;dataDirectory&gt;/uploads/NAME.csv</c> (NAME may be given with or without ".csv"). Names are file names,
/// never paths: a name with a path separator or ".." is rejected, so a spec cannot read files outside the data
/// directory. CSV targets are the last column; samples and noise only apply to synthetic data and are ignored
/// otherwise.
/// </summary>
public static class DatasetCatalog
{
    public const string UploadsFolder = "uploads";
    public const string MnistName = "mnist";

    /// <summary>CSV descriptions by path, valid while the file's size and write time are unchanged, so listing a
    /// directory does not re-parse every file on every request.</summary>
    private static readonly ConcurrentDictionary<string, (DateTime WriteTime, long Length, DatasetInfo Info)> CsvInfoCache = new();

    /// <param name="alsoAvailable">Names the caller resolves itself (the test surfaces), listed in the unknown-name error
    /// after the generators.</param>
    public static Dataset Load(string name, int? samples, double? noise, long seed, string dataDirectory, IEnumerable<string>? alsoAvailable = null)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(dataDirectory);
        if (SyntheticDatasets.Find(name) is { } g)
            return SyntheticDatasets.Generate(name, samples ?? g.DefaultSamples, noise ?? g.DefaultNoise, seed);
        if (name == MnistName && MnistLoader.HasAnyPair(Path.Combine(dataDirectory, MnistName)))
            return Readable(dataDirectory, () => MnistLoader.Load(Path.Combine(dataDirectory, MnistName)));
        if (BuiltInDatasets.Find(name) is not null)
            return BuiltInDatasets.Load(name);
        string images = Path.Combine(dataDirectory, UploadsFolder, name + ImageSetFile.Extension);
        if (!name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && File.Exists(images))
            return Readable(dataDirectory, () => ImageSetFile.Load(images, name, Path.GetRelativePath(dataDirectory, images)));
        string file = name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? name : name + ".csv";
        foreach (string dir in new[] { dataDirectory, Path.Combine(dataDirectory, UploadsFolder) })
        {
            string path = Path.Combine(dir, file);
            if (File.Exists(path)) return Readable(dataDirectory, () => LoadCsv(path, dataDirectory));
        }

        var available = new List<string>();
        foreach (GeneratorInfo s in SyntheticDatasets.All) available.Add(s.Name);
        available.AddRange(alsoAvailable ?? []);
        foreach (BuiltInDatasets.Entry b in BuiltInDatasets.All) available.Add(b.Name);
        foreach ((string csvName, _) in CsvFiles(dataDirectory)) available.Add(csvName);
        foreach ((string setName, _) in ImageSets(dataDirectory)) available.Add(setName);
        throw new ArgumentException(
            $"unknown dataset '{name}'; available: {string.Join(", ", available)} (or NAME.csv in the data directory or its {UploadsFolder}/ folder)", nameof(name));
    }

    /// <summary>What a built-in dataset called <paramref name="name"/>, ignoring case, is ("synthetic", "mnist" or
    /// "builtin": one of <see cref="BuiltInDatasets"/>), or null. Uploads may not take these names: a run naming one gets the built-in (case aside, one name
    /// must not mean two datasets).</summary>
    public static string? BuiltInKind(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (SyntheticDatasets.All.Any(g => g.Name.Equals(name, StringComparison.OrdinalIgnoreCase))) return "synthetic";
        if (name.Equals(MnistName, StringComparison.OrdinalIgnoreCase)) return "mnist";
        return BuiltInDatasets.All.Any(b => b.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) ? "builtin" : null;
    }

    /// <summary>A CSV named in errors by its path in the data directory (<c>uploads/a.csv</c>), never the absolute one.</summary>
    private static Dataset LoadCsv(string path, string dataDirectory)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return CsvLoader.Load(reader, Path.GetRelativePath(dataDirectory, path));
    }

    /// <summary>Reads a file with the data directory cut from whatever error it raises (IDX readers and the file
    /// system name absolute paths); access errors become IOExceptions like any other unreadable file.</summary>
    private static T Readable<T>(string dataDirectory, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (DataFormatException e)
        {
            throw new DataFormatException(DataPaths.Relative(e.Message, dataDirectory));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException(DataPaths.Relative(e.Message, dataDirectory), e);
        }
    }

    /// <summary>Synthetic generators and the built-in datasets always (mnist from the data directory when it has one,
    /// else the built-in one, kind "builtin"); CSV files when present. A missing directory lists only the
    /// synthetic ones, and an unreadable file is listed with Task "unknown" and the error as description rather
    /// than failing the whole listing.</summary>
    public static IReadOnlyList<DatasetInfo> List(string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        var list = new List<DatasetInfo>();
        foreach (GeneratorInfo g in SyntheticDatasets.All)
            list.Add(new DatasetInfo(g.Name, "synthetic", g.Task, g.Features, g.Classes, g.DefaultSamples, g.Description));

        string mnistDir = Path.Combine(dataDirectory, MnistName);
        if (MnistLoader.HasAnyPair(mnistDir))
        {
            try
            {
                var (rows, features) = MnistLoader.Describe(mnistDir)!.Value;
                int side = (int)Math.Round(Math.Sqrt(features));
                list.Add(new DatasetInfo(MnistName, "mnist", "classification", features, MnistLoader.ClassCount, rows,
                    $"MNIST-style handwritten digits (IDX files in {MnistName}/), pixels scaled to [0, 1]",
                    side * side == features ? new Shape(1, side, side) : null));
            }
            catch (Exception e) when (e is DataFormatException or IOException)
            {
                list.Add(new DatasetInfo(MnistName, "mnist", "unknown", null, null, null, $"unreadable: {DataPaths.Relative(e.Message, dataDirectory)}"));
            }
        }
        foreach (BuiltInDatasets.Entry b in BuiltInDatasets.All)
        {
            if (b.Name == MnistName && list.Any(d => d.Name == MnistName)) continue;
            list.Add(new DatasetInfo(b.Name, "builtin", "classification", b.Shape.Size, b.Classes, b.Rows, b.Description, b.Shape.IsFlat ? null : b.Shape));
        }

        foreach ((string name, string path) in CsvFiles(dataDirectory))
            list.Add(DescribeCsv(name, path, dataDirectory));
        foreach ((string name, string path) in ImageSets(dataDirectory))
            list.Add(DescribeImages(name, path, dataDirectory));
        return list;
    }

    /// <summary>(name, path) of each image set, <c>uploads/NAME.images</c> (<see cref="ImageSetFile"/>), by name.</summary>
    private static List<(string Name, string Path)> ImageSets(string dataDirectory)
    {
        string dir = Path.Combine(dataDirectory, UploadsFolder);
        if (!Directory.Exists(dir)) return [];
        string[] paths = Directory.GetFiles(dir, "*" + ImageSetFile.Extension);
        Array.Sort(paths, StringComparer.Ordinal);
        return paths.Select(p => (Path.GetFileNameWithoutExtension(p), p)).Where(f => f.Item1.Length > 0 && !f.Item1.StartsWith('.')).ToList();
    }

    private static DatasetInfo DescribeImages(string name, string path, string dataDirectory)
    {
        string relative = Path.GetRelativePath(dataDirectory, path);
        try
        {
            var (count, shape, classes) = ImageSetFile.Describe(path, relative);
            return new DatasetInfo(name, "images", "classification", shape.Size, classes.Length, count,
                $"image set {relative}: {count} images of {shape.Channels}×{shape.Height}×{shape.Width} (channels×height×width), pixels scaled to [0, 1]; {classes.Length} classes: {ClassList(classes)}")
            { Shape = shape };
        }
        catch (Exception e) when (e is DataFormatException or IOException or UnauthorizedAccessException)
        {
            return new DatasetInfo(name, "images", "unknown", null, null, null, $"unreadable: {DataPaths.Relative(e.Message, dataDirectory)}");
        }
    }

    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("dataset name must not be empty", nameof(name));
        if (name.Contains('/') || name.Contains('\\') || name.Contains("..") || name.Contains('\0'))
            throw new ArgumentException(
                $"dataset name '{name}' must be a plain name (no path separators or '..'); files are looked up in the data directory",
                nameof(name));
    }

    /// <summary>(name to load it by, path) for each CSV: the data directory first, then uploads; a name found in
    /// both resolves to the first. A file named like a built-in (xor.csv) is listed as "xor.csv", the name that loads it.</summary>
    private static List<(string Name, string Path)> CsvFiles(string dataDirectory)
    {
        var files = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string dir in new[] { dataDirectory, Path.Combine(dataDirectory, UploadsFolder) })
        {
            if (!Directory.Exists(dir)) continue;
            string[] paths = Directory.GetFiles(dir, "*.csv");
            Array.Sort(paths, StringComparer.Ordinal);
            foreach (string path in paths)
            {
                string name = Path.GetFileNameWithoutExtension(path);
                if (name.Length == 0 || name.Contains("..")) continue; // could not be loaded by name
                if (BuiltInDatasets.Find(name) is not null || SyntheticDatasets.Find(name) is not null) name += ".csv";
                if (seen.Add(name)) files.Add((name, path));
            }
        }
        return files;
    }

    private static string ClassList(string[] names)
    {
        const int Shown = 10;
        return names.Length <= Shown
            ? string.Join(", ", names)
            : string.Join(", ", names, 0, Shown) + $", … ({names.Length - Shown} more)";
    }

    private static DatasetInfo DescribeCsv(string name, string path, string dataDirectory)
    {
        try
        {
            var file = new FileInfo(path);
            if (CsvInfoCache.TryGetValue(path, out var cached) && cached.WriteTime == file.LastWriteTimeUtc
                && cached.Length == file.Length && cached.Info.Name == name)
                return cached.Info;

            string relative = Path.GetRelativePath(dataDirectory, path);
            CsvSummary d;
            using (var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true))
                d = CsvLoader.Scan(reader, relative, target: null, CsvLimits.None);
            string task = d.IsClassification ? "classification" : "regression";
            string target = d.IsClassification
                ? $"{d.Classes} classes: {ClassList(d.ClassNames ?? [])}"
                : "regression target";
            var info = new DatasetInfo(name, "csv", task, d.Features, d.Classes, d.Rows,
                $"CSV file {relative}, last column is the target ({target})");
            CsvInfoCache[path] = (file.LastWriteTimeUtc, file.Length, info);
            return info;
        }
        catch (Exception e) when (e is DataFormatException or IOException or UnauthorizedAccessException)
        {
            return new DatasetInfo(name, "csv", "unknown", null, null, null, $"unreadable: {DataPaths.Relative(e.Message, dataDirectory)}");
        }
    }
}
