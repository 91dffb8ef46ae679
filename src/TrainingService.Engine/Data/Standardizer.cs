using System.Numerics.Tensors;

namespace TrainingService.Engine.Data;

/// <summary>
/// Per-feature standardization x' = (x − mean) / std, fitted on the training part only so that validation and
/// test rows are transformed with statistics the model could have known. Std is the population std; a
/// (near-)constant column gets std 1 so it passes through shifted to 0 instead of dividing by zero.
/// Targets are never touched: regression losses and metrics stay in the data's own units.
/// </summary>
public sealed class Standardizer
{
    /// <summary>Below this std a feature is treated as constant.</summary>
    public const double MinStd = 1e-8;

    public float[] Mean { get; }
    public float[] Std { get; }

    /// <summary>From stored statistics (a saved model); every std must be positive and finite.</summary>
    public Standardizer(float[] mean, float[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length != std.Length)
            throw new ArgumentException($"mean has {mean.Length} values but std has {std.Length}", nameof(std));
        for (int i = 0; i < std.Length; i++)
        {
            if (!float.IsFinite(mean[i]))
                throw new ArgumentOutOfRangeException(nameof(mean), mean[i], $"mean[{i}] must be finite");
            if (!(std[i] > 0) || !float.IsFinite(std[i]))
                throw new ArgumentOutOfRangeException(nameof(std), std[i], $"std[{i}] must be positive and finite");
        }
        Mean = mean;
        Std = std;
    }

    /// <summary>Mean and population std of each feature, accumulated in double (two passes, for accuracy).</summary>
    public static Standardizer Fit(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count < 1) throw new ArgumentException($"dataset '{train.Name}' has no rows to fit on", nameof(train));
        int n = train.Count, f = train.Features;
        var sum = new double[f];
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> row = train.Row(r);
            for (int j = 0; j < f; j++) sum[j] += row[j];
        }
        var mean = new double[f];
        for (int j = 0; j < f; j++) mean[j] = sum[j] / n;

        var squares = new double[f];
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> row = train.Row(r);
            for (int j = 0; j < f; j++)
            {
                double d = row[j] - mean[j];
                squares[j] += d * d;
            }
        }
        var m = new float[f];
        var s = new float[f];
        for (int j = 0; j < f; j++)
        {
            double std = Math.Sqrt(squares[j] / n);
            m[j] = (float)mean[j];
            s[j] = std < MinStd ? 1f : (float)std;
        }
        return new Standardizer(m, s);
    }

    /// <summary>A new dataset with standardized features; Y is copied unchanged.</summary>
    public Dataset Apply(Dataset d)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (d.Features != Mean.Length)
            throw new ArgumentException($"dataset '{d.Name}' has {d.Features} features, the standardizer {Mean.Length}", nameof(d));
        var x = (float[])d.X.Clone();
        for (int r = 0; r < d.Count; r++) TransformRow(x.AsSpan(r * d.Features, d.Features));
        return new Dataset
        {
            Name = d.Name, X = x, Y = (float[])d.Y.Clone(), Count = d.Count, Features = d.Features,
            TargetWidth = d.TargetWidth, Classes = d.Classes, FeatureNames = d.FeatureNames, ClassNames = d.ClassNames, Shape = d.Shape,
        };
    }

    /// <summary>In place: row[j] = (row[j] − Mean[j]) / Std[j]. Used for prediction on single inputs.</summary>
    public void TransformRow(Span<float> row)
    {
        if (row.Length != Mean.Length)
            throw new ArgumentException($"row has {row.Length} values, expected {Mean.Length}", nameof(row));
        TensorPrimitives.Subtract(row, Mean, row);
        TensorPrimitives.Divide(row, Std, row);
    }
}
