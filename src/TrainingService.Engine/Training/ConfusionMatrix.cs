using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Training;

/// <summary>A test row the model got wrong: its index in the split, true and predicted class, and the model's
/// confidence in its (wrong) prediction: the predicted class's output (a probability for softmax and sigmoid outputs).</summary>
public sealed record WrongPrediction(int Row, int Label, int Predicted, float Confidence, float[] Output);

/// <summary>
/// Counts[t][p]: how many rows of class t a classifier predicts as p (<see cref="Accuracy.Predict"/>, the rule the run's
/// accuracy uses, so the diagonal's sum over the row count is that accuracy), and the <c>worst</c> wrong rows, most
/// confident first. Forward only, in the evaluator's chunks.
/// </summary>
public sealed record ConfusionMatrix(long[][] Counts, IReadOnlyList<WrongPrediction> MostConfidentlyWrong)
{
    public static ConfusionMatrix Compute(Network net, EncodedSplit split, int classes, int worst, CancellationToken ct = default)
    {
        if (split.Labels is not { } labels) throw new ArgumentException("the split has no class labels (a regression run?)", nameof(split));
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(worst);
        var counts = new long[classes][];
        for (int c = 0; c < classes; c++) counts[c] = new long[classes];
        var wrong = new List<WrongPrediction>();
        var (ws, chunk) = Evaluator.CreateWorkspace(net);
        var x = new Matrix(chunk, net.Inputs);
        for (int start = 0; start < split.Count; start += chunk)
        {
            ct.ThrowIfCancellationRequested();
            int rows = Math.Min(chunk, split.Count - start);
            x.SetRows(rows);
            split.X.AsSpan(start * split.Features, rows * split.Features).CopyTo(x.Span);
            Matrix output = net.Forward(x, ws);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> o = output.Row(r);
                int label = labels[start + r], predicted = Accuracy.Predict(o);
                counts[label][predicted]++;
                if (predicted == label || worst == 0) continue;
                float confidence = o.Length == 1 ? (predicted == 1 ? o[0] : 1 - o[0]) : o[predicted];
                wrong.Add(new WrongPrediction(start + r, label, predicted, confidence, o.ToArray()));
                // Keep the list bounded: past twice the asked-for count, keep the most confident ones.
                if (wrong.Count >= 2 * worst + 64) Trim(wrong, worst);
            }
        }
        Trim(wrong, worst);
        return new ConfusionMatrix(counts, wrong);
    }

    /// <summary>Most confident first; ties by row, so the order is the same on every machine.</summary>
    private static void Trim(List<WrongPrediction> wrong, int keep)
    {
        wrong.Sort((a, b) => b.Confidence != a.Confidence ? b.Confidence.CompareTo(a.Confidence) : a.Row.CompareTo(b.Row));
        if (wrong.Count > keep) wrong.RemoveRange(keep, wrong.Count - keep);
    }
}
