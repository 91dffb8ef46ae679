using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Training.Steppers;

/// <summary>The rows of one step, gathered from the training split into buffers allocated once and reused every step.</summary>
public sealed class Batch
{
    private readonly float[] _targets;
    private readonly int[]? _labels;

    public Batch(int capacity, int features, int targetWidth, bool labels)
    {
        X = new Matrix(capacity, features);
        TargetWidth = targetWidth;
        _targets = new float[capacity * targetWidth];
        _labels = labels ? new int[capacity] : null;
    }

    /// <summary>The inputs, <see cref="Rows"/> × features.</summary>
    public Matrix X { get; }
    public int Rows => X.Rows;
    public int TargetWidth { get; }
    public ReadOnlySpan<float> Targets => _targets.AsSpan(0, Rows * TargetWidth);
    public bool HasLabels => _labels is not null;
    /// <summary>Class indices, for accuracy (empty without labels).</summary>
    public ReadOnlySpan<int> Labels => _labels is null ? default : _labels.AsSpan(0, Rows);

    /// <summary>Copies the rows of <paramref name="split"/> named by <paramref name="indices"/>.</summary>
    public void Gather(EncodedSplit split, ReadOnlySpan<int> indices)
    {
        int tw = TargetWidth;
        X.SetRows(indices.Length);
        Kernels.GatherRows(split.X, split.Features, indices, X.Data);
        for (int r = 0; r < indices.Length; r++)
        {
            int i = indices[r];
            split.Targets.AsSpan(i * tw, tw).CopyTo(_targets.AsSpan(r * tw, tw));
            if (_labels is not null) _labels[r] = split.Labels![i];
        }
    }
}
