using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Landscape;

/// <summary>Predicted class and its probability on a grid over the input plane, row-major by y then x.</summary>
public sealed record DecisionGrid(double XMin, double XMax, double YMin, double YMax, int Resolution, int Classes, int[] Class, float[] Confidence);

/// <summary>
/// For 2-D classification datasets: what the network predicts at every point of a grid covering the data
/// (in the model's input space, i.e. after standardisation), to be drawn under the data points.
/// </summary>
public static class DecisionBoundary
{
    public static bool Applies(TrainingSession session) => session.Network.Inputs == 2 && session.Train.Labels is not null;

    /// <summary>Bounds of every split's points with a 10 % margin.</summary>
    public static (double XMin, double XMax, double YMin, double YMax) Bounds(TrainingSession session)
    {
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        foreach (var split in new[] { session.Train, session.Validation, session.Test })
            for (int r = 0; r < split.Count; r++)
            {
                float x = split.X[2 * r], y = split.X[2 * r + 1];
                xMin = Math.Min(xMin, x); xMax = Math.Max(xMax, x); yMin = Math.Min(yMin, y); yMax = Math.Max(yMax, y);
            }
        double xPad = Math.Max((xMax - xMin) * 0.1, 1e-3), yPad = Math.Max((yMax - yMin) * 0.1, 1e-3);
        return (xMin - xPad, xMax + xPad, yMin - yPad, yMax + yPad);
    }

    /// <summary>Grid points evaluated in one forward pass: bounds the workspace, and the grain at which a cancel is seen.</summary>
    public const int BlockRows = 4096;

    /// <summary>Evaluates <paramref name="net"/> (the session's, between steps, or a copy) on a resolution² grid, in
    /// blocks of at most <see cref="BlockRows"/> points, observing <paramref name="cancellationToken"/> before each.</summary>
    /// <exception cref="OperationCanceledException">the token was cancelled</exception>
    public static DecisionGrid Compute(Network net, int classes, (double XMin, double XMax, double YMin, double YMax) b, int resolution,
        CancellationToken cancellationToken = default)
    {
        if (net.Inputs != 2) throw new InvalidOperationException($"the model has {net.Inputs} inputs; a decision boundary needs 2");
        if (resolution is < 2 or > 400) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "resolution must be between 2 and 400");
        int n = resolution * resolution, block = Math.Min(n, BlockRows);
        var x = new Matrix(block, 2);
        var ws = net.CreateWorkspace(block, withGradients: false);
        var cls = new int[n];
        var conf = new float[n];
        for (int start = 0; start < n; start += block)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = Math.Min(block, n - start);
            x.SetRows(rows);
            for (int r = 0; r < rows; r++)
            {
                int i = (start + r) % resolution, j = (start + r) / resolution;
                x[r, 0] = (float)(b.XMin + (b.XMax - b.XMin) * i / (resolution - 1));
                x[r, 1] = (float)(b.YMin + (b.YMax - b.YMin) * j / (resolution - 1));
            }
            Matrix output = net.Forward(x, ws);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> row = output.Row(r);
                int c = cls[start + r] = Accuracy.Predict(row);
                conf[start + r] = row.Length == 1 ? (c == 1 ? row[0] : 1 - row[0]) : row[c];
            }
        }
        return new DecisionGrid(b.XMin, b.XMax, b.YMin, b.YMax, resolution, classes, cls, conf);
    }
}
