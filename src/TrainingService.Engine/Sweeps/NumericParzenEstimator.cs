using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Sweeps;

/// <summary>
/// One numeric parameter's Parzen estimator in TPE (Bergstra et al. 2011), as Optuna's univariate
/// <c>_ParzenEstimator</c>: a weighted mixture of Gaussians truncated to [low, high], one at each observation plus
/// the prior N((low + high)/2, high − low). An observation's bandwidth is the larger gap to its neighbours among
/// the observations, the prior's centre and the bounds (at the two ends, the inner gap), clipped to
/// [(high − low)/min(100, 1 + kernels), high − low] (Optuna's "magic clip"). Works on the sampler's axis (log x for
/// log_uniform). With <c>step</c> 1 (int_uniform) the bounds widen by ½, draws round to the nearest integer and the
/// density is the mass of [x − ½, x + ½].
/// </summary>
internal sealed class NumericParzenEstimator
{
    private readonly double[] _mus, _sigmas, _weights, _logMass;
    private readonly double _low, _high, _step;

    /// <param name="observations">The observations on the axis, oldest first.</param>
    /// <param name="weights">Their weights before the prior's (<see cref="TpeSampler.Weights"/>).</param>
    public NumericParzenEstimator(IReadOnlyList<double> observations, IReadOnlyList<double> weights, double low, double high, double step, double priorWeight)
    {
        _low = low; _high = high; _step = step;
        int n = observations.Count;
        double range = high - low + step, prior = 0.5 * (low + high);
        _mus = new double[n + 1];
        _sigmas = new double[n + 1];
        _weights = new double[n + 1];
        for (int i = 0; i < n; i++) _mus[i] = observations[i];
        Bandwidths(observations, prior, low - step / 2, high + step / 2, range, _sigmas.AsSpan(0, n));
        _mus[n] = prior;
        _sigmas[n] = range;
        double total = 0;
        for (int i = 0; i < n; i++) total += _weights[i] = weights[i];
        _weights[n] = n == 0 ? 1.0 : priorWeight;
        total += _weights[n];
        for (int i = 0; i <= n; i++) _weights[i] /= total;
        _logMass = new double[n + 1];
        for (int i = 0; i <= n; i++) _logMass[i] = Gaussian.LogMass(Lower(i), Upper(i));
    }

    /// <summary>The kernels' centres, bandwidths and mixture weights; the prior's last.</summary>
    internal IReadOnlyList<double> Mus => _mus;
    internal IReadOnlyList<double> Sigmas => _sigmas;
    internal IReadOnlyList<double> MixtureWeights => _weights;

    /// <summary>One draw: a kernel by weight, then the truncated Gaussian by inverse CDF (rounded for a step).</summary>
    public double Sample(Rng rng)
    {
        int k = TpeSampler.PickIndex(_weights, rng.NextDouble());
        double pa = Gaussian.Cdf(Lower(k)), pb = Gaussian.Cdf(Upper(k));
        double z = Gaussian.InverseCdf(pa + (pb - pa) * rng.NextDouble());
        double x = Math.Clamp(_mus[k] + _sigmas[k] * z, _low - _step / 2, _high + _step / 2);
        if (_step > 0) x = _low + Math.Round((x - _low) / _step) * _step;
        return Math.Clamp(x, _low, _high);
    }

    /// <summary>log of the mixture's density at x (for a step: log of its probability).</summary>
    public double LogPdf(double x)
    {
        Span<double> terms = _mus.Length <= 64 ? stackalloc double[_mus.Length] : new double[_mus.Length];
        for (int k = 0; k < _mus.Length; k++)
        {
            double kernel = _step > 0
                ? Gaussian.LogMass((Math.Max(x - _step / 2, _low - _step / 2) - _mus[k]) / _sigmas[k],
                                   (Math.Min(x + _step / 2, _high + _step / 2) - _mus[k]) / _sigmas[k])
                : Gaussian.LogPdf((x - _mus[k]) / _sigmas[k]) - Math.Log(_sigmas[k]);
            terms[k] = Math.Log(_weights[k]) + kernel - _logMass[k];
        }
        return TpeSampler.LogSumExp(terms);
    }

    private double Lower(int k) => (_low - _step / 2 - _mus[k]) / _sigmas[k];
    private double Upper(int k) => (_high + _step / 2 - _mus[k]) / _sigmas[k];

    /// <summary>Optuna's univariate bandwidth rule (consider_endpoints off, magic clip on, prior on).</summary>
    private static void Bandwidths(IReadOnlyList<double> mus, double prior, double lowEnd, double highEnd, double range, Span<double> sigmas)
    {
        int n = mus.Count;
        if (n == 0) return;
        // The observations and the prior's centre, sorted, between the two ends.
        var points = new double[n + 3];
        var order = new int[n + 1];
        for (int i = 0; i <= n; i++) order[i] = i;
        double At(int i) => i < n ? mus[i] : prior;
        Array.Sort(order, (i, j) => At(i) != At(j) ? At(i).CompareTo(At(j)) : i.CompareTo(j));
        points[0] = lowEnd;
        points[n + 2] = highEnd;
        for (int s = 0; s <= n; s++) points[s + 1] = At(order[s]);
        var sorted = new double[n + 1];
        for (int s = 0; s <= n; s++) sorted[s] = Math.Max(points[s + 1] - points[s], points[s + 2] - points[s + 1]);
        // consider_endpoints = False: the outermost kernels take their inner gap, not the gap to the bound.
        sorted[0] = points[2] - points[1];
        sorted[n] = points[n + 1] - points[n];
        double minSigma = range / Math.Min(100.0, 1.0 + (n + 1)), maxSigma = range;
        for (int s = 0; s <= n; s++)
            if (order[s] < n) sigmas[order[s]] = Math.Clamp(sorted[s], minSigma, maxSigma);
    }
}
