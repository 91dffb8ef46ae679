using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Training;

/// <summary>One prediction: the output row, and for classification the predicted class and its label.</summary>
public sealed record Prediction(float[] Output, int? Class, string? Label);

/// <summary>Predicts with a <see cref="ModelFile"/>: standardises raw feature rows as in training, then a forward pass.</summary>
public sealed class Predictor
{
    private readonly ModelFile _model;
    private readonly Network _net;

    public Predictor(ModelFile model)
    {
        _model = model;
        _net = model.BuildNetwork();
    }

    public int Inputs => _model.Inputs;

    /// <summary>Predicts each row of <paramref name="rows"/> (each exactly <see cref="Inputs"/> raw features), in chunks
    /// of the evaluation budget (<see cref="Evaluator.CreateWorkspace"/>), so a large request holds one chunk's buffers.</summary>
    public List<Prediction> Predict(IReadOnlyList<float[]> rows)
    {
        var results = new List<Prediction>(rows.Count);
        if (rows.Count == 0) return results;
        for (int r = 0; r < rows.Count; r++)
            if (rows[r].Length != Inputs) throw new ArgumentException($"row {r} has {rows[r].Length} values, expected {Inputs}", nameof(rows));
        var (ws, chunk) = Evaluator.CreateWorkspace(_net, rows.Count);
        var x = new Matrix(chunk, Inputs);
        bool classify = _model.Task == "classification";
        for (int start = 0; start < rows.Count; start += chunk)
        {
            int count = Math.Min(chunk, rows.Count - start);
            x.SetRows(count);
            for (int r = 0; r < count; r++)
            {
                Span<float> dst = x.Row(r);
                rows[start + r].CopyTo(dst);
                if (_model.StandardizeMean is { } mean && _model.StandardizeStd is { } std)
                    for (int j = 0; j < dst.Length; j++) dst[j] = (dst[j] - mean[j]) / std[j];
            }
            Matrix output = _net.Forward(x, ws);
            for (int r = 0; r < count; r++)
            {
                float[] o = output.Row(r).ToArray();
                int? cls = classify ? Accuracy.Predict(o) : null;
                results.Add(new Prediction(o, cls, cls is { } c && _model.ClassNames is { } names && c < names.Length ? names[c] : null));
            }
        }
        return results;
    }
}
