namespace TrainingService.Engine.Data;

/// <summary>
/// Loads MNIST-style digits from a directory of IDX files: the train and t10k pairs, whichever exist
/// (raw or .gz), concatenated train first so that an unshuffled split keeps the official test set at the end.
/// Pixels become pixel / 255f; the label is the class (10 classes).
/// </summary>
public static class MnistLoader
{
    public const int ClassCount = 10;

    private static readonly string[] Prefixes = ["train", "t10k"];
    private const string ExpectedFiles =
        "train-images-idx3-ubyte[.gz] + train-labels-idx1-ubyte[.gz] and/or t10k-images-idx3-ubyte[.gz] + t10k-labels-idx1-ubyte[.gz]";

    public static Dataset Load(string mnistDirectory)
    {
        var files = new List<((int[], byte[]) Images, string ImagesName, (int[], byte[]) Labels, string LabelsName)>();
        foreach ((string images, string labels) in FindPairs(mnistDirectory))
            files.Add((IdxReader.Read(images), images, IdxReader.Read(labels), labels));
        return Load(files);
    }

    /// <summary>(images, labels) pairs already read (their IDX dimensions and bytes), concatenated in order; the
    /// names are for errors.</summary>
    internal static Dataset Load(IReadOnlyList<((int[] Dims, byte[] Data) Images, string ImagesName, (int[] Dims, byte[] Data) Labels, string LabelsName)> files)
    {
        var parts = new List<(string Images, byte[] Pixels, byte[] Labels)>();
        int rows = 0, cols = 0;
        foreach (var ((idims, pixels), images, (ldims, labelBytes), labels) in files)
        {
            if (idims.Length != 3)
                throw new DataFormatException($"{images}: expected 3 dimensions (count × rows × cols), found {idims.Length}");
            if (ldims.Length != 1)
                throw new DataFormatException($"{labels}: expected 1 dimension (count), found {ldims.Length}");
            if (idims[0] != ldims[0])
                throw new DataFormatException(
                    $"count mismatch: {images} has {idims[0]} images but {labels} has {ldims[0]} labels");
            if (parts.Count > 0 && (idims[1] != rows || idims[2] != cols))
                throw new DataFormatException(
                    $"{images}: images are {idims[1]}×{idims[2]}, but {parts[0].Images} has {rows}×{cols}");
            (rows, cols) = (idims[1], idims[2]);
            for (int i = 0; i < labelBytes.Length; i++)
                if (labelBytes[i] >= ClassCount)
                    throw new DataFormatException($"{labels}: label {labelBytes[i]} at index {i} is outside 0..9");
            parts.Add((images, pixels, labelBytes));
        }

        int features = rows * cols, count = 0;
        foreach (var p in parts) count += p.Labels.Length;
        var x = new float[(long)count * features];
        var y = new float[count];
        int offset = 0;
        foreach (var p in parts)
        {
            Span<float> dst = x.AsSpan(offset * features, p.Pixels.Length);
            for (int i = 0; i < dst.Length; i++) dst[i] = p.Pixels[i] / 255f;
            for (int i = 0; i < p.Labels.Length; i++) y[offset + i] = p.Labels[i];
            offset += p.Labels.Length;
        }

        var classNames = new string[ClassCount];
        for (int c = 0; c < ClassCount; c++) classNames[c] = c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Dataset
        {
            Name = "mnist", X = x, Y = y, Count = count, Features = features, Classes = ClassCount, ClassNames = classNames,
            Shape = new Tensors.Shape(1, rows, cols),
        };
    }

    /// <summary>Rows and features from the IDX headers alone, for listing; null when no pair exists.</summary>
    internal static (int Rows, int Features)? Describe(string mnistDirectory)
    {
        if (!HasAnyPair(mnistDirectory)) return null;
        int rows = 0, features = 0;
        foreach ((string images, _) in FindPairs(mnistDirectory))
        {
            int[] dims = IdxReader.ReadDims(images);
            if (dims.Length != 3)
                throw new DataFormatException($"{images}: expected 3 dimensions (count × rows × cols), found {dims.Length}");
            rows += dims[0];
            features = dims[1] * dims[2];
        }
        return (rows, features);
    }

    internal static bool HasAnyPair(string mnistDirectory)
    {
        foreach (string prefix in Prefixes)
            if (FindFile(mnistDirectory, $"{prefix}-images-idx3-ubyte") is not null
                && FindFile(mnistDirectory, $"{prefix}-labels-idx1-ubyte") is not null)
                return true;
        return false;
    }

    /// <summary>The (images, labels) pairs present, train first. A lone half of a pair is an error rather than
    /// silently skipped: it almost always means a failed download.</summary>
    private static List<(string Images, string Labels)> FindPairs(string dir)
    {
        if (!Directory.Exists(dir))
            throw new DataFormatException($"{dir}: MNIST directory not found; expected {ExpectedFiles}");
        var pairs = new List<(string, string)>();
        foreach (string prefix in Prefixes)
        {
            string imagesName = $"{prefix}-images-idx3-ubyte", labelsName = $"{prefix}-labels-idx1-ubyte";
            string? images = FindFile(dir, imagesName), labels = FindFile(dir, labelsName);
            if (images is null && labels is null) continue;
            if (images is null || labels is null)
                throw new DataFormatException(
                    $"{dir}: found {Path.GetFileName(images ?? labels)} but not {(images is null ? imagesName : labelsName)}[.gz]");
            pairs.Add((images, labels));
        }
        if (pairs.Count == 0)
            throw new DataFormatException($"{dir}: no MNIST files found; expected {ExpectedFiles}");
        return pairs;
    }

    /// <summary>The raw file if present (no decompression needed), else the .gz one.</summary>
    private static string? FindFile(string dir, string name)
    {
        string raw = Path.Combine(dir, name);
        if (File.Exists(raw)) return raw;
        string gz = raw + ".gz";
        return File.Exists(gz) ? gz : null;
    }
}
