using System.Text.Json.Nodes;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Sweeps;

/// <summary>
/// Tree-structured Parzen estimator (Bergstra et al. 2011), as Optuna's default <c>TPESampler()</c> (univariate,
/// prior on, magic clip on, endpoints off). The first <see cref="StartupTrials"/> trials are random
/// (<see cref="RandomSampler"/>, same seed). After that the history is ranked by loss (failed trials last) and its
/// best γ(n) = min(⌈0.1·n⌉, 25) trials are "good"; for each parameter, Parzen estimators l(x) of the good trials' values
/// and g(x) of the others' (older trials weigh less once there are more than 25) give <see cref="Candidates"/> draws
/// from l, and the draw with the largest log l(x) − log g(x) — the expected improvement's maximizer — is proposed.
/// Each (trial, parameter) draws from its own stream of the seed, and the history is read in trial order, so the
/// proposal depends on the seed, the index and the history only.
/// </summary>
public sealed class TpeSampler : ISweepSampler
{
    public const int StartupTrials = 10;
    public const int Candidates = 24;
    public const double PriorWeight = 1.0;

    private readonly IReadOnlyList<SweepParameter> _parameters;
    private readonly ulong _seed;
    private readonly RandomSampler _startup;

    public TpeSampler(IReadOnlyList<SweepParameter> parameters, ulong seed)
    {
        SweepSamplers.Validate(parameters);
        _parameters = parameters;
        _seed = seed;
        _startup = new RandomSampler(parameters, seed);
    }

    /// <summary>How many of n trials count as good (Optuna's default_gamma).</summary>
    public static int Gamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    /// <summary>The weights of n trials, oldest first (Optuna's default_weights): all 1 below 25; beyond, the
    /// newest 25 weigh 1 and the older ones ramp linearly from 1/n up to 1.</summary>
    public static double[] Weights(int n)
    {
        var w = new double[n];
        Array.Fill(w, 1.0);
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        return w;
    }

    public IReadOnlyDictionary<string, JsonNode>? Suggest(int index, IReadOnlyList<SweepObservation> history)
    {
        if (history.Count < StartupTrials) return _startup.Suggest(index, history);
        var ranked = history.OrderBy(o => o.Rank).ThenBy(o => o.Index).ToArray();
        int good = Gamma(ranked.Length);
        var below = ranked[..good].OrderBy(o => o.Index).ToArray();
        var above = ranked[good..].OrderBy(o => o.Index).ToArray();
        var trial = new Dictionary<string, JsonNode>(_parameters.Count);
        foreach (var p in _parameters)
        {
            var rng = RandomSampler.Stream(_seed, "tpe", index, p.Path);
            trial[p.Path] = p switch
            {
                SweepRange r => r.ToJson(r.FromAxis(SuggestNumber(r, below, above, rng))),
                SweepValues v => v.Values[SuggestValue(v, below, above, rng)].DeepClone(),
                _ => throw new ArgumentException($"parameters[\"{p.Path}\"]: unknown kind {p.GetType().Name}", p.Path),
            };
        }
        return trial;
    }

    private static double SuggestNumber(SweepRange r, SweepObservation[] below, SweepObservation[] above, Rng rng)
    {
        double low = r.ToAxis(r.Min), high = r.ToAxis(r.Max), step = r.Distribution == SweepDistribution.IntUniform ? 1 : 0;
        NumericParzenEstimator Fit(SweepObservation[] trials)
        {
            var xs = new List<double>(trials.Length);
            foreach (var o in trials)
                if (o.Parameters.TryGetValue(r.Path, out var node) && SweepRange.Read(node) is { } x && double.IsFinite(x))
                    xs.Add(Math.Clamp(r.ToAxis(Math.Clamp(x, r.Min, r.Max)), low, high));
            return new NumericParzenEstimator(xs, Weights(xs.Count), low, high, step, PriorWeight);
        }
        var l = Fit(below);
        var g = Fit(above);
        return Best(() => l.Sample(rng), x => l.LogPdf(x) - g.LogPdf(x));
    }

    private static int SuggestValue(SweepValues v, SweepObservation[] below, SweepObservation[] above, Rng rng)
    {
        CategoricalParzenEstimator Fit(SweepObservation[] trials)
        {
            var picks = new List<int>(trials.Length);
            foreach (var o in trials)
                if (o.Parameters.TryGetValue(v.Path, out var node) && v.IndexOf(node) is var i && i >= 0) picks.Add(i);
            return new CategoricalParzenEstimator(picks, Weights(picks.Count), v.Values.Count, PriorWeight);
        }
        var l = Fit(below);
        var g = Fit(above);
        return Best(() => l.Sample(rng), c => l.LogPdf(c) - g.LogPdf(c));
    }

    /// <summary>The first of <see cref="Candidates"/> draws with the largest acquisition.</summary>
    private static T Best<T>(Func<T> draw, Func<T, double> acquisition)
    {
        T best = draw();
        double bestValue = acquisition(best);
        for (int i = 1; i < Candidates; i++)
        {
            T x = draw();
            double a = acquisition(x);
            if (a > bestValue) (best, bestValue) = (x, a);
        }
        return best;
    }

    /// <summary>The index where the cumulative sum of <paramref name="weights"/> (summing to 1) first exceeds u.</summary>
    internal static int PickIndex(IReadOnlyList<double> weights, double u)
    {
        double cumulative = 0;
        for (int i = 0; i < weights.Count - 1; i++)
        {
            cumulative += weights[i];
            if (u < cumulative) return i;
        }
        return weights.Count - 1;
    }

    internal static double LogSumExp(ReadOnlySpan<double> terms)
    {
        double max = double.NegativeInfinity;
        foreach (double t in terms) max = Math.Max(max, t);
        if (double.IsNegativeInfinity(max)) return max;
        double sum = 0;
        foreach (double t in terms) sum += Math.Exp(t - max);
        return max + Math.Log(sum);
    }
}
