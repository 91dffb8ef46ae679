namespace TrainingService.Api.Datasets;

/// <summary><c>GET /api/datasets/{name}</c>: the listing's fields, the class balance and a bounded sample to look at.
/// Surfaces and unreadable files have neither.</summary>
public sealed record DatasetDetailDto : DatasetDto
{
    public DatasetDetailDto(DatasetDto listed) : base(listed) { }

    /// <summary>Class labels by index (classification only).</summary>
    public string[]? ClassNames { get; init; }
    /// <summary>Rows per class, in <see cref="ClassNames"/>' order.</summary>
    public int[]? ClassCounts { get; init; }
    public DatasetSample? Sample { get; init; }
}

/// <summary>A look at the data, one of three views: images (image sets), points (2 features, or 1 feature and a
/// regression target), else the first rows of the table.</summary>
public sealed record DatasetSample(SampleTable? Table, SampleImages? Images, SamplePoints? Points);

/// <summary>The first <see cref="DatasetSamples.MaxRows"/> rows: feature values and the target as text (a class name
/// or a number).</summary>
public sealed record SampleTable(string[] Columns, string Target, float[][] Rows, string[] Targets);

/// <summary>A few images of each class (at most <see cref="DatasetSamples.MaxImages"/>): Shape is [channels, height,
/// width]; each image's pixels are row-major, channel by channel, rounded to 3 decimals, with its row index and label.</summary>
public sealed record SampleImages(int[] Shape, int[] Indices, string[] Labels, float[][] Pixels);

/// <summary>Up to <see cref="DatasetSamples.MaxPoints"/> points: X and Y, and the class index of each for
/// classification (null for a 1-feature regression, where Y is the target).</summary>
public sealed record SamplePoints(string XLabel, string YLabel, float[] X, float[] Y, int[]? Classes);
