using TrainingService.Engine.Layers;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Landscape;

/// <summary>The training loss over a grid of (w, b) for a model with exactly two parameters, row-major by b then w.</summary>
public sealed record LossGrid(double WMin, double WMax, double BMin, double BMax, int Resolution, double[] Loss);

/// <summary>
/// Loss surfaces of two-parameter models (y = w·x + b on the <c>linear</c> dataset, no hidden layer, or a test
/// surface f(w, b) from <see cref="Surfaces"/>): the full training-set loss (or f) evaluated on a grid, on a private copy of the network so a run in progress is
/// never disturbed. With the trajectory a run records (<see cref="StepMetrics.Point"/>) it shows the path
/// each optimizer takes down the same bowl.
/// </summary>
public static class LossLandscape
{
    public static bool Applies(TrainingSession session) => session.Network.ParameterCount == 2;

    /// <summary>Bounds covering <paramref name="points"/> (w, b pairs) with a margin of a quarter of the span, at least ±1.</summary>
    public static (double WMin, double WMax, double BMin, double BMax) BoundsAround(IEnumerable<(double W, double B)> points)
    {
        double wMin = double.PositiveInfinity, wMax = double.NegativeInfinity, bMin = double.PositiveInfinity, bMax = double.NegativeInfinity;
        foreach (var (w, b) in points)
        {
            wMin = Math.Min(wMin, w); wMax = Math.Max(wMax, w); bMin = Math.Min(bMin, b); bMax = Math.Max(bMax, b);
        }
        if (double.IsInfinity(wMin)) return (-1, 1, -1, 1);
        double wPad = Math.Max((wMax - wMin) / 4, 1), bPad = Math.Max((bMax - bMin) / 4, 1);
        return (wMin - wPad, wMax + wPad, bMin - bPad, bMax + bPad);
    }

    /// <summary>Training loss at every grid point; point (i, j) is w = WMin + i·Δw, b = BMin + j·Δb, stored at [j·res + i].
    /// Each point is a pass over the whole training set, so <paramref name="cancellationToken"/> (a client that went
    /// away) is observed before every point.</summary>
    /// <exception cref="OperationCanceledException">the token was cancelled</exception>
    public static LossGrid Evaluate(TrainingSession session, double wMin, double wMax, double bMin, double bMax, int resolution,
        CancellationToken cancellationToken = default)
    {
        if (!Applies(session)) throw new InvalidOperationException($"the model has {session.Network.ParameterCount} parameters; a loss landscape needs exactly 2");
        if (resolution is < 2 or > 400) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "resolution must be between 2 and 400");
        Network net = ModelFile.From(session).BuildNetwork();
        var evaluator = new Evaluator(net, session.Loss);
        var loss = new double[resolution * resolution];
        Span<float> point = stackalloc float[2];
        for (int j = 0; j < resolution; j++)
            for (int i = 0; i < resolution; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                point[0] = (float)(wMin + (wMax - wMin) * i / (resolution - 1));
                point[1] = (float)(bMin + (bMax - bMin) * j / (resolution - 1));
                net.SetFlatParameters(point);
                loss[j * resolution + i] = session.Surface is { } surface ? surface.Value(net) : evaluator.Evaluate(session.Train).Loss ?? double.NaN;
            }
        return new LossGrid(wMin, wMax, bMin, bMax, resolution, loss);
    }
}
