using System.Collections.Concurrent;
using System.Globalization;
using TrainingService.Engine.Data;

namespace TrainingService.Api.Datasets;

/// <summary>Builds <see cref="DatasetDetailDto"/>s, loading the dataset once per version of its files: built-ins and
/// generators (seed 1, their defaults) are cached for good, files while their size and write time stay the same.</summary>
internal static class DatasetSamples
{
    public const int MaxRows = 10, MaxImages = 30, ImagesPerClass = 3, MaxPoints = 1000;

    private static readonly ConcurrentDictionary<(string DataDir, string Name), (string Stamp, DatasetDetailDto Detail)> Cache = new();

    public static DatasetDetailDto Describe(DatasetDto listed, string dataDir)
    {
        if (listed.Kind == "surface" || listed.Task == "unknown") return new DatasetDetailDto(listed);
        string stamp = Stamp(listed, dataDir);
        if (Cache.TryGetValue((dataDir, listed.Id), out var hit) && hit.Stamp == stamp && hit.Detail.Rows == listed.Rows)
            return hit.Detail;
        Dataset d;
        try
        {
            d = DatasetCatalog.Load(listed.Id, null, null, seed: 1, dataDir);
        }
        catch (Exception e) when (e is DataFormatException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new DatasetDetailDto(listed); // changed or removed since it was listed
        }
        var detail = new DatasetDetailDto(listed)
        {
            ClassNames = d.IsClassification ? ClassNames(d) : null,
            ClassCounts = d.IsClassification ? Counts(d) : null,
            Sample = Sample(d),
        };
        Cache[(dataDir, listed.Id)] = (stamp, detail);
        return detail;
    }

    /// <summary>Forgets a dataset (deleted or replaced).</summary>
    public static void Forget(string dataDir, string name) => Cache.TryRemove((dataDir, name), out _);

    private static string Stamp(DatasetDto listed, string dataDir)
    {
        IEnumerable<string> files = listed.Kind switch
        {
            "csv" or "upload" => [UploadStore.PathOf(dataDir, listed.Id)],
            "mnist" => Directory.Exists(Path.Combine(dataDir, DatasetCatalog.MnistName))
                ? Directory.GetFiles(Path.Combine(dataDir, DatasetCatalog.MnistName)).Order(StringComparer.Ordinal) : [],
            _ => [],
        };
        return string.Join(";", files.Select(f => new FileInfo(f)).Select(f => f.Exists ? $"{f.Name}:{f.Length}:{f.LastWriteTimeUtc.Ticks}" : "-"));
    }

    private static string[] ClassNames(Dataset d) =>
        d.ClassNames ?? [.. Enumerable.Range(0, d.Classes).Select(c => c.ToString(CultureInfo.InvariantCulture))];

    private static int[] Counts(Dataset d)
    {
        var counts = new int[d.Classes];
        for (int r = 0; r < d.Count; r++) counts[(int)d.Y[r * d.TargetWidth]]++;
        return counts;
    }

    private static DatasetSample Sample(Dataset d)
    {
        if (!d.Shape.IsFlat) return new DatasetSample(null, Images(d), null);
        if (d.Features == 2 && d.IsClassification || d.Features == 1 && !d.IsClassification && d.TargetWidth == 1)
            return new DatasetSample(null, null, Points(d));
        return new DatasetSample(Table(d), null, null);
    }

    private static string[] FeatureNames(Dataset d) =>
        d.FeatureNames ?? [.. Enumerable.Range(0, d.Features).Select(f => $"x{f}")];

    private static SampleTable Table(Dataset d)
    {
        int n = Math.Min(MaxRows, d.Count);
        var rows = new float[n][];
        var targets = new string[n];
        for (int r = 0; r < n; r++)
        {
            rows[r] = d.Row(r).ToArray();
            targets[r] = Target(d, r);
        }
        return new SampleTable(FeatureNames(d), d.IsClassification ? "class" : "target", rows, targets);
    }

    private static string Target(Dataset d, int r) => d.IsClassification
        ? ClassNames(d)[(int)d.Y[r]]
        : string.Join(" ", d.Y.AsSpan(r * d.TargetWidth, d.TargetWidth).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>The first <see cref="ImagesPerClass"/> of each class, in row order.</summary>
    private static SampleImages Images(Dataset d)
    {
        var perClass = new int[Math.Max(d.Classes, 1)];
        var indices = new List<int>();
        for (int r = 0; r < d.Count && indices.Count < MaxImages; r++)
        {
            int c = d.IsClassification ? (int)d.Y[r] : 0;
            if (perClass[c] >= (d.IsClassification ? ImagesPerClass : MaxImages)) continue;
            perClass[c]++;
            indices.Add(r);
        }
        indices.Sort((a, b) => d.Y[a].CompareTo(d.Y[b]) is var byClass && byClass != 0 ? byClass : a.CompareTo(b));
        var pixels = indices.Select(r => d.Row(r).ToArray().Select(v => MathF.Round(v, 3)).ToArray()).ToArray();
        return new SampleImages([d.Shape.Channels, d.Shape.Height, d.Shape.Width], [.. indices],
            [.. indices.Select(r => Target(d, r))], pixels);
    }

    private static SamplePoints Points(Dataset d)
    {
        int n = Math.Min(MaxPoints, d.Count);
        var x = new float[n];
        var y = new float[n];
        int[]? classes = d.IsClassification ? new int[n] : null;
        string[] names = FeatureNames(d);
        for (int r = 0; r < n; r++)
        {
            x[r] = d.X[r * d.Features];
            y[r] = d.IsClassification ? d.X[r * d.Features + 1] : d.Y[r];
            if (classes is not null) classes[r] = (int)d.Y[r];
        }
        return new SamplePoints(names[0], d.IsClassification ? names[1] : "target", x, y, classes);
    }
}
