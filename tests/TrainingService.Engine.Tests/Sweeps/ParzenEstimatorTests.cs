using TrainingService.Engine.Sweeps;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Sweeps;

public sealed class ParzenEstimatorTests
{
    [Fact]
    public void BandwidthsFollowOptunasRuleWithThePriorAndTheInnerGapAtTheEnds()
    {
        // Sorted with the prior's centre 0.5 between the ends 0 and 1: 0 | 0.2 0.5 (0.5) 0.9 | 1. Each kernel takes the
        // larger gap to a neighbour; the outermost ones their inner gap (0.3 and 0.4, not the gaps to the bounds);
        // clipped to [1/min(100, 1 + 4), 1] = [0.2, 1]. The prior: N(0.5, 1), weight 1 like each observation.
        var e = new NumericParzenEstimator([0.2, 0.9, 0.5], [1, 1, 1], 0, 1, step: 0, TpeSampler.PriorWeight);
        Assert.Equal([0.2, 0.9, 0.5, 0.5], e.Mus);
        double[] sigmas = [0.3, 0.4, 0.3, 1.0];
        for (int i = 0; i < 4; i++) Assert.Equal(sigmas[i], e.Sigmas[i], 1e-15);
        Assert.Equal([0.25, 0.25, 0.25, 0.25], e.MixtureWeights);

        // Close observations are clipped up to the minimum bandwidth.
        var close = new NumericParzenEstimator([0.50, 0.51], [1, 1], 0, 1, step: 0, TpeSampler.PriorWeight);
        Assert.All(close.Sigmas.Take(2), s => Assert.Equal(0.25, s, 1e-15)); // 1 / min(100, 1 + 3)
    }

    [Fact]
    public void TheContinuousDensityIntegratesTo1OverTheBounds()
    {
        var e = new NumericParzenEstimator([-1.0, -0.9, 1.7], [1, 2, 1], -2, 2, step: 0, TpeSampler.PriorWeight);
        const int n = 20_000;
        double h = 4.0 / n, sum = 0;
        for (int i = 0; i <= n; i++) sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * Math.Exp(e.LogPdf(-2 + i * h));
        Assert.Equal(1.0, sum * h / 3, 1e-6);
    }

    [Fact]
    public void TheIntegerDensityIsAProbabilityOverTheIntegersAndDrawsAreIntegersInRange()
    {
        var e = new NumericParzenEstimator([3, 3, 9], [1, 1, 1], 1, 10, step: 1, TpeSampler.PriorWeight);
        Assert.Equal(1.0, Enumerable.Range(1, 10).Sum(k => Math.Exp(e.LogPdf(k))), 1e-12);
        var rng = new Rng(1);
        var draws = Enumerable.Range(0, 2000).Select(_ => e.Sample(rng)).ToList();
        Assert.All(draws, x => { Assert.Equal(Math.Round(x), x); Assert.InRange(x, 1, 10); });
        // The draws follow the density.
        for (int k = 1; k <= 10; k++) Assert.Equal(Math.Exp(e.LogPdf(k)), draws.Count(x => x == k) / 2000.0, 0.03);
        // Two narrow kernels at 3 make it the most likely value; the wide ones (9's and the prior's) lift the middle.
        Assert.Equal(3, Enumerable.Range(1, 10).MaxBy(k => e.LogPdf(k)));
    }

    [Fact]
    public void CategoricalKernelsAreSmoothedCountsMixedWithAUniformPrior()
    {
        // Observed values 0, 0, 2 of 3; four kernels (the prior's included) of weight ¼. An observation's kernel is
        // (¼ + [c = observed]) / 1.75; the prior's is ⅓ each.
        var e = new CategoricalParzenEstimator([0, 0, 2], [1, 1, 1], 3, TpeSampler.PriorWeight);
        double[] expected =
        [
            0.25 * (2 * 1.25 / 1.75 + 0.25 / 1.75 + 1 / 3.0),
            0.25 * (3 * 0.25 / 1.75 + 1 / 3.0),
            0.25 * (2 * 0.25 / 1.75 + 1.25 / 1.75 + 1 / 3.0),
        ];
        for (int c = 0; c < 3; c++) Assert.Equal(Math.Log(expected[c]), e.LogPdf(c), 1e-12);
        var rng = new Rng(2);
        var counts = new int[3];
        for (int i = 0; i < 6000; i++) counts[e.Sample(rng)]++;
        for (int c = 0; c < 3; c++) Assert.Equal(expected[c], counts[c] / 6000.0, 0.02);
    }

    [Fact]
    public void WithoutObservationsOnlyThePriorRemains()
    {
        var e = new NumericParzenEstimator([], [], 0, 1, step: 0, TpeSampler.PriorWeight);
        Assert.Equal([0.5], e.Mus);
        Assert.Equal([1.0], e.MixtureWeights);
        var c = new CategoricalParzenEstimator([], [], 4, TpeSampler.PriorWeight);
        Assert.All(Enumerable.Range(0, 4), v => Assert.Equal(Math.Log(0.25), c.LogPdf(v), 1e-15));
    }
}
