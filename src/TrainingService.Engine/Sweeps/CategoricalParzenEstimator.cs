using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Sweeps;

/// <summary>
/// One values-list parameter's Parzen estimator in TPE, as Optuna's: a kernel per observation that puts weight 1 on
/// the observed value plus priorWeight/kernels on every value (smoothed counts), and the prior's kernel, uniform over
/// the values; mixed with the observations' weights and the prior's.
/// </summary>
internal sealed class CategoricalParzenEstimator
{
    private readonly double[] _weights;
    private readonly double[][] _kernels; // [kernel][value] probabilities
    private readonly double[] _mixture;   // Σ_k weight_k · kernel_k[value]

    /// <param name="observations">The observed values' positions in the list, oldest first.</param>
    /// <param name="weights">Their weights before the prior's (<see cref="TpeSampler.Weights"/>).</param>
    public CategoricalParzenEstimator(IReadOnlyList<int> observations, IReadOnlyList<double> weights, int choices, double priorWeight)
    {
        int n = observations.Count, kernels = n + 1;
        _weights = new double[kernels];
        _kernels = new double[kernels][];
        double total = 0;
        for (int k = 0; k < kernels; k++)
        {
            var row = _kernels[k] = new double[choices];
            // With no observation the prior alone is uniform; otherwise every kernel starts from priorWeight/kernels.
            Array.Fill(row, n == 0 ? 1.0 : priorWeight / kernels);
            if (k < n) row[observations[k]] += 1;
            double sum = row.Sum();
            for (int c = 0; c < choices; c++) row[c] /= sum;
            total += _weights[k] = k < n ? weights[k] : n == 0 ? 1.0 : priorWeight;
        }
        _mixture = new double[choices];
        for (int k = 0; k < kernels; k++)
        {
            _weights[k] /= total;
            for (int c = 0; c < choices; c++) _mixture[c] += _weights[k] * _kernels[k][c];
        }
    }

    /// <summary>One draw: a kernel by weight, then a value by its probabilities.</summary>
    public int Sample(Rng rng)
    {
        int k = TpeSampler.PickIndex(_weights, rng.NextDouble());
        return TpeSampler.PickIndex(_kernels[k], rng.NextDouble());
    }

    public double LogPdf(int value) => Math.Log(_mixture[value]);
}
