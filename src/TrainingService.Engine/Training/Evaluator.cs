using TrainingService.Engine.Layers;
using TrainingService.Engine.Losses;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Training;

/// <summary>Loss and accuracy of a whole split, forward only, in chunks through an evaluation workspace.</summary>
public sealed class Evaluator
{
    /// <summary>Rows per chunk at most (a perceptron's chunk).</summary>
    public const int MaxChunkRows = 512;

    /// <summary>The evaluation workspace's budget: 8 M floats (32 MB), whatever the network — a small CNN's chunk is
    /// then ≈ 70 rows (its feature maps are ≈ 110 k floats a row) instead of 512 rows in ≈ 230 MB.</summary>
    public const long BudgetFloats = 8L << 20;

    /// <summary>A forward-only workspace for <paramref name="net"/> and its rows per chunk: as many as fit
    /// <see cref="BudgetFloats"/>, up to <paramref name="maxRows"/> and <see cref="MaxChunkRows"/>. A row's outputs do not
    /// depend on the chunk it is in.</summary>
    public static (Workspace Workspace, int Rows) CreateWorkspace(Network net, int maxRows = MaxChunkRows) =>
        net.CreateWorkspaceWithin(BudgetFloats, Math.Min(maxRows, MaxChunkRows));

    public int ChunkRows { get; }
    private readonly Network _net;
    private readonly ILoss _loss;
    private readonly Workspace _ws;
    private readonly Matrix _x;

    public Evaluator(Network net, ILoss loss)
    {
        _net = net; _loss = loss;
        (_ws, ChunkRows) = CreateWorkspace(net);
        _x = new Matrix(ChunkRows, net.Inputs);
    }

    /// <summary>Mean loss (weighted by rows, so it equals the loss of the split as one batch up to rounding) and accuracy.</summary>
    public (double? Loss, double? Accuracy) Evaluate(EncodedSplit split)
    {
        if (split.Count == 0) return (null, null);
        double lossSum = 0; long correct = 0;
        for (int start = 0; start < split.Count; start += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, split.Count - start);
            _x.SetRows(rows);
            split.X.AsSpan(start * split.Features, rows * split.Features).CopyTo(_x.Span);
            Matrix output = _net.Forward(_x, _ws);
            ReadOnlySpan<float> t = split.Targets.AsSpan(start * split.TargetWidth, rows * split.TargetWidth);
            lossSum += _loss.Evaluate(_ws.Z[^1], output, t, _net.OutputActivation, Span<float>.Empty) * rows;
            if (split.Labels is not null) correct += Accuracy.CountCorrect(output, split.Labels.AsSpan(start, rows));
        }
        return (lossSum / split.Count, split.Labels is null ? null : (double)correct / split.Count);
    }
}

/// <summary>Which class an output row predicts: argmax, or p &gt; 0.5 for a single sigmoid unit.</summary>
public static class Accuracy
{
    public static int Predict(ReadOnlySpan<float> outputRow)
    {
        if (outputRow.Length == 1) return outputRow[0] > 0.5f ? 1 : 0;
        int best = 0;
        for (int j = 1; j < outputRow.Length; j++) if (outputRow[j] > outputRow[best]) best = j;
        return best;
    }

    public static int CountCorrect(Matrix output, ReadOnlySpan<int> labels)
    {
        int correct = 0;
        for (int r = 0; r < output.Rows; r++) if (Predict(output.Row(r)) == labels[r]) correct++;
        return correct;
    }
}
