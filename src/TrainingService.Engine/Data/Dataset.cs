using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Data;

/// <summary>
/// An in-memory table: <see cref="X"/> is row-major (Count × Features); <see cref="Y"/> is row-major
/// (Count × TargetWidth). For classification (<see cref="Classes"/> ≥ 2) TargetWidth is 1 and Y holds the
/// class index as a float; for regression Classes is 0 and Y holds the target values.
/// </summary>
public sealed class Dataset
{
    public required string Name { get; init; }
    public required float[] X { get; init; }
    public required float[] Y { get; init; }
    public required int Count { get; init; }
    public required int Features { get; init; }
    public int TargetWidth { get; init; } = 1;
    /// <summary>Number of classes; 0 for a regression target.</summary>
    public int Classes { get; init; }
    public string[]? FeatureNames { get; init; }
    /// <summary>Class labels as they appeared in the source (CSV text targets), indexed by class.</summary>
    public string[]? ClassNames { get; init; }

    public bool IsClassification => Classes >= 2;

    private readonly Shape? _shape;

    /// <summary>One sample's shape (C×H×W for images, e.g. 1×28×28 for MNIST); a table's rows are flat
    /// (<see cref="Features"/>×1×1). Its <see cref="Shape.Size"/> is always <see cref="Features"/>.</summary>
    public Shape Shape
    {
        get => _shape ?? Shape.Flat(Features);
        init => _shape = value;
    }

    public ReadOnlySpan<float> Row(int i) => X.AsSpan(i * Features, Features);

    /// <summary>The rows at <paramref name="indices"/>, in that order, as a new dataset.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        var x = new float[indices.Length * Features];
        var y = new float[indices.Length * TargetWidth];
        for (int r = 0; r < indices.Length; r++)
        {
            X.AsSpan(indices[r] * Features, Features).CopyTo(x.AsSpan(r * Features));
            Y.AsSpan(indices[r] * TargetWidth, TargetWidth).CopyTo(y.AsSpan(r * TargetWidth));
        }
        return new Dataset
        {
            Name = name ?? Name, X = x, Y = y, Count = indices.Length, Features = Features,
            TargetWidth = TargetWidth, Classes = Classes, FeatureNames = FeatureNames, ClassNames = ClassNames, Shape = Shape,
        };
    }
}

/// <summary>A dataset that cannot be read: the message names the source and, where known, the line and column.</summary>
public class DataFormatException(string message) : Exception(message);
