using TrainingService.Engine.Data;

namespace TrainingService.Engine.Training;

/// <summary>
/// One split with its targets in the form the loss takes: class indices for cross_entropy and binary bce,
/// one-hot rows for mse/l1/bce on a multi-class dataset, the values themselves for regression.
/// <see cref="Labels"/> keeps the class index for accuracy.
/// </summary>
public sealed class EncodedSplit
{
    public required float[] X { get; init; }
    public required float[] Targets { get; init; }
    public required int[]? Labels { get; init; }
    public required int Count { get; init; }
    public required int Features { get; init; }
    public required int TargetWidth { get; init; }

    public static EncodedSplit Encode(Dataset d, int lossTargetWidth, int outputs)
    {
        int n = d.Count;
        int[]? labels = null;
        float[] targets;
        if (d.IsClassification)
        {
            labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = (int)d.Y[i];
            if (lossTargetWidth == 1 && outputs <= d.Classes)
                targets = (float[])d.Y.Clone(); // class indices (cross_entropy, binary bce with one output)
            else
            {
                targets = new float[n * outputs];
                for (int i = 0; i < n; i++) targets[i * outputs + labels[i]] = 1f;
            }
        }
        else targets = d.Y;
        int width = d.IsClassification && lossTargetWidth != 1 ? outputs : lossTargetWidth;
        if (d.IsClassification && lossTargetWidth == 1) width = 1;
        return new EncodedSplit { X = d.X, Targets = targets, Labels = labels, Count = n, Features = d.Features, TargetWidth = width };
    }
}
