namespace TrainingService.Engine.Training;

/// <summary>
/// The learning-rate range test's record and suggestion (Smith 2017; fast.ai <c>lr_find</c>): the loss of every step,
/// smoothed by an exponential moving average with bias correction (β = 0.98, as fast.ai), stops the run once the smoothed
/// loss exceeds <see cref="ExplosionFactor"/> × its minimum (or the loss is not finite). The suggestion is the rate at the
/// steepest descent of the smoothed loss (its most negative difference per step, the rates being evenly spaced in log;
/// the first 10 and last 5 steps left out, as fast.ai);
/// the other candidate is the rate at the smoothed minimum ÷ 10. The buffer is allocated once (steps long).
/// </summary>
public sealed class RangeTest
{
    public const double Beta = 0.98;
    public const double ExplosionFactor = 4;
    private readonly LearningRateSchedule _schedule;

    public RangeTest(LearningRateSchedule schedule)
    {
        _schedule = schedule;
        Losses = new double[schedule.RangeSteps];
    }

    /// <summary>The raw loss of steps 1…<see cref="Count"/> (a checkpoint keeps them).</summary>
    public double[] Losses { get; private set; }
    public int Count { get; private set; }

    /// <summary>Records step <see cref="Count"/> + 1's loss; returns whether the loss exploded (the run stops).</summary>
    public bool Record(double loss)
    {
        if (Count < Losses.Length) Losses[Count++] = loss;
        return Smooth(loss);
    }

    private double _avg, _best = double.PositiveInfinity;

    private bool Smooth(double loss)
    {
        if (!double.IsFinite(loss)) return true;
        _avg = Beta * _avg + (1 - Beta) * loss;
        double smoothed = _avg / (1 - Math.Pow(Beta, Count));
        if (Count > 1 && smoothed > ExplosionFactor * _best) return true;
        if (smoothed < _best) _best = smoothed;
        return false;
    }

    /// <summary>Whether the run has taken all its steps.</summary>
    public bool Done => Count >= Losses.Length;

    /// <summary>Continues from a checkpoint's losses.</summary>
    public void Restore(double[]? losses)
    {
        (Count, _avg, _best) = (0, 0, double.PositiveInfinity);
        if (losses is null) return;
        for (int i = 0; i < Math.Min(losses.Length, Losses.Length); i++) Record(losses[i]);
    }

    /// <summary>A copy of the recorded losses.</summary>
    public double[] Snapshot() => Losses.AsSpan(0, Count).ToArray();

    /// <summary>The suggestion from the losses recorded so far (null before two finite ones).</summary>
    public RangeTestSuggestion? Suggest() => Suggest(Losses.AsSpan(0, Count), _schedule.RateAtStep);

    /// <summary>The suggestion for <paramref name="losses"/> of steps 1…n at rates <paramref name="rateAtStep"/>: the
    /// smoothed curve is cut before its first non-finite value or explosion (those points say nothing of descent).</summary>
    public static RangeTestSuggestion? Suggest(ReadOnlySpan<double> losses, Func<long, double> rateAtStep)
    {
        var smoothed = new double[losses.Length];
        int n = 0;
        double avg = 0, best = double.PositiveInfinity;
        int bestAt = 0;
        for (int i = 0; i < losses.Length; i++)
        {
            if (!double.IsFinite(losses[i])) break;
            avg = Beta * avg + (1 - Beta) * losses[i];
            double s = avg / (1 - Math.Pow(Beta, i + 1));
            if (i > 0 && s > ExplosionFactor * best) break;
            smoothed[n++] = s;
            if (s < best) (best, bestAt) = (s, i);
        }
        if (n < 2) return null;
        // As fast.ai's lr_find, the first steps (whose smoothed values are little more than the raw, noisy losses) and
        // the last ones (the climb to the explosion) are left out of the slope: 10 and 5 of them, fewer on a short run.
        int skipStart = Math.Min(10, n / 10), skipEnd = Math.Min(5, n / 20);
        int steepest = skipStart;
        double steepestSlope = double.PositiveInfinity;
        for (int i = skipStart; i + 1 < n - skipEnd; i++)
        {
            double slope = smoothed[i + 1] - smoothed[i];
            if (slope < steepestSlope) (steepestSlope, steepest) = (slope, i);
        }
        double steep = rateAtStep(steepest + 1), minimum = rateAtStep(bestAt + 1) / 10;
        return new RangeTestSuggestion(steep, steep, minimum);
    }
}

/// <summary>The finder's answer: <paramref name="Suggested"/> is the steepest-descent rate; the minimum's rate ÷ 10 beside it.</summary>
public sealed record RangeTestSuggestion(double Suggested, double Steepest, double MinimumOverTen);
