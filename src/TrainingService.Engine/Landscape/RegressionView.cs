using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Landscape;

/// <summary>
/// A 1-feature regressor drawn over its data: the curve y(x) at <see cref="CurveX"/> (evenly spaced over every split's
/// x range), the shown training points (x, y), the model's prediction at each and its residual y − prediction, the run's
/// loss on those points (the bar for the amount of error) and, for the line y = w·x + b, <see cref="Slope"/>.
/// x is in the model's input space (standardized when the spec says so); y in the data's own units.
/// </summary>
public sealed record RegressionFit(float[] CurveX, float[] CurveY, float[] X, float[] Y, float[] Prediction, float[] Residual,
    double? Loss, SlopeSlice? Slope);

/// <summary>For y = w·x + b: the loss on the shown points at w = WMin + i·(WMax − WMin)/(n − 1), b held at its current
/// value <see cref="B"/>; the model sits at (<see cref="W"/>, the fit's loss) on this curve.</summary>
public sealed record SlopeSlice(float W, float B, double WMin, double WMax, double[] Loss);

/// <summary>
/// The seed's regression view ("a varying slope of a linear regressor with vertical lines showing the error, a bar for
/// the amount of error; error versus slope") for any 1-feature, 1-output regression run, bounded whatever the data's
/// size: <see cref="CurveSamples"/> curve points, at most <see cref="MaxPoints"/> training points (evenly spaced
/// through the split, so the same ones every time) and <see cref="SlopeSamples"/> slopes. It only runs forward passes
/// through workspaces of its own (and the slope slice on a copy of the network), so calling it between steps leaves
/// training untouched.
/// </summary>
public static class RegressionView
{
    public const int CurveSamples = 100;
    public const int MaxPoints = 200;
    public const int SlopeSamples = 100;

    public static bool Applies(TrainingSession session) =>
        session.Surface is null && session.Network.Inputs == 1 && session.Network.Outputs == 1
        && session.Train.Labels is null && session.Train.TargetWidth == 1;

    /// <summary>Every split's x range with a 5 % margin (computed once per run: the data does not change).</summary>
    public static (double XMin, double XMax) Bounds(TrainingSession session)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var split in new[] { session.Train, session.Validation, session.Test })
            for (int r = 0; r < split.Count; r++)
            {
                lo = Math.Min(lo, split.X[r]);
                hi = Math.Max(hi, split.X[r]);
            }
        if (double.IsInfinity(lo)) return (-1, 1);
        double pad = Math.Max((hi - lo) * 0.05, 1e-3);
        return (lo - pad, hi + pad);
    }

    /// <summary>The training rows shown: all of them up to <see cref="MaxPoints"/>, else row ⌊i·count/MaxPoints⌋ for each i.</summary>
    public static int[] ShownRows(int count)
    {
        int n = Math.Min(count, MaxPoints);
        var rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = (int)((long)i * count / n);
        return rows;
    }

    public static RegressionFit Compute(TrainingSession session, (double XMin, double XMax) bounds)
    {
        if (!Applies(session)) throw new InvalidOperationException("a regression view needs a model of one input and one output on a regression dataset");
        Network net = session.Network;
        int[] rows = ShownRows(session.Train.Count);
        int n = rows.Length;
        var curveX = new float[CurveSamples];
        for (int i = 0; i < CurveSamples; i++) curveX[i] = (float)(bounds.XMin + (bounds.XMax - bounds.XMin) * i / (CurveSamples - 1));
        var x = new float[n];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = session.Train.X[rows[i]];
            y[i] = session.Train.Targets[rows[i]];
        }

        // One forward pass: the curve's x, then the points' x.
        var input = new Matrix(CurveSamples + n, 1);
        curveX.CopyTo(input.Data, 0);
        x.CopyTo(input.Data, CurveSamples);
        Matrix output = net.Forward(input, net.CreateWorkspace(input.Rows, withGradients: false));
        float[] curveY = output.Data.AsSpan(0, CurveSamples).ToArray();
        float[] prediction = output.Data.AsSpan(CurveSamples, n).ToArray();
        var residual = new float[n];
        for (int i = 0; i < n; i++) residual[i] = y[i] - prediction[i];

        var shown = new EncodedSplit { X = x, Targets = y, Labels = null, Count = n, Features = 1, TargetWidth = 1 };
        double? loss = new Evaluator(net, session.Loss).Evaluate(shown).Loss;
        SlopeSlice? slope = net.ParameterCount == 2 ? Slice(session, shown) : null;
        return new RegressionFit(curveX, curveY, x, y, prediction, residual, loss, slope);
    }

    /// <summary>The loss on <paramref name="shown"/> along w through the current b, on a copy of the network. The w
    /// range covers the current w and the least-squares slope of the points (where a line fit heads), with at least 1
    /// either side.</summary>
    private static SlopeSlice Slice(TrainingSession session, EncodedSplit shown)
    {
        Network copy = ModelFile.From(session).BuildNetwork();
        float[] p = copy.GetFlatParameters(); // [w, b]
        float w = p[0], b = p[1];
        double best = LeastSquaresSlope(shown.X, shown.Targets, w);
        double lo = Math.Min(w, best), hi = Math.Max(w, best);
        if (!double.IsFinite(lo) || !double.IsFinite(hi)) (lo, hi) = (-1, 1);
        double pad = Math.Max((hi - lo) / 2, 1);
        double wMin = lo - pad, wMax = hi + pad;
        var evaluator = new Evaluator(copy, session.Loss);
        var loss = new double[SlopeSamples];
        for (int i = 0; i < SlopeSamples; i++)
        {
            p[0] = (float)(wMin + (wMax - wMin) * i / (SlopeSamples - 1));
            copy.SetFlatParameters(p);
            loss[i] = evaluator.Evaluate(shown).Loss ?? double.NaN;
        }
        return new SlopeSlice(w, b, wMin, wMax, loss);
    }

    /// <summary>cov(x, y) / var(x); <paramref name="fallback"/> when x does not vary.</summary>
    private static double LeastSquaresSlope(float[] x, float[] y, double fallback)
    {
        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++) { mx += x[i]; my += y[i]; }
        mx /= Math.Max(1, x.Length); my /= Math.Max(1, x.Length);
        double sxy = 0, sxx = 0;
        for (int i = 0; i < x.Length; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); }
        return sxx > 0 ? sxy / sxx : fallback;
    }
}
