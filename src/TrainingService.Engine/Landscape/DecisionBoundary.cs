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

    /// <summary>Evaluates <paramref name="net"/> (the session's, between steps, or a copy) on a resolution² grid.</summary>
    public static DecisionGrid Compute(Network net, int classes, (double XMin, double XMax, double YMin, double YMax) b, int resolution)
    {
        if (net.Inputs != 2) throw new InvalidOperationException($"the model has {net.Inputs} inputs; a decision boundary needs 2");
        if (resolution is < 2 or > 400) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "resolution must be between 2 and 400");
        int n = resolution * resolution;
        var x = new Matrix(n, 2);
        for (int j = 0; j < resolution; j++)
            for (int i = 0; i < resolution; i++)
            {
                x[j * resolution + i, 0] = (float)(b.XMin + (b.XMax - b.XMin) * i / (resolution - 1));
                x[j * resolution + i, 1] = (float)(b.YMin + (b.YMax - b.YMin) * j / (resolution - 1));
            }
        var ws = net.CreateWorkspace(n, withGradients: false);
        Matrix output = net.Forward(x, ws);
        var cls = new int[n];
        var conf = new float[n];
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> row = output.Row(r);
            cls[r] = Accuracy.Predict(row);
            conf[r] = row.Length == 1 ? (cls[r] == 1 ? row[0] : 1 - row[0]) : row[cls[r]];
        }
        return new DecisionGrid(b.XMin, b.XMax, b.YMin, b.YMax, resolution, classes, cls, conf);
    }
}
