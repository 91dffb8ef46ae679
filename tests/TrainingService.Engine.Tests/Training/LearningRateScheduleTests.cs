using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Training;

public sealed class LearningRateScheduleTests
{
    private static double[] Rates(ScheduleSpec spec, int epochs, Func<int, double>? loss = null)
    {
        var s = new LearningRateSchedule(spec, 0.1, epochs);
        return Enumerable.Range(1, epochs).Select(e => s.OnEpochEnd(e, loss?.Invoke(e) ?? 1.0)).ToArray();
    }

    [Fact]
    public void StepDecaysByGammaEveryStepSizeEpochs() =>
        // The rate for the epoch after epoch e: η₀·γ^⌊e/2⌋.
        Assert.Equal([0.1, 0.05, 0.05, 0.025], Rates(new() { Type = "step", StepSize = 2, Gamma = 0.5 }, 4).Select(v => Math.Round(v, 12)).ToArray());

    [Fact]
    public void ExponentialMultipliesEveryEpoch()
    {
        double[] r = Rates(new() { Type = "exponential", Gamma = 0.9 }, 3);
        Assert.Equal(0.1 * 0.9, r[0], 12);
        Assert.Equal(0.1 * 0.9 * 0.9 * 0.9, r[2], 12);
    }

    [Fact]
    public void CosineFollowsTheHalfCosineToTheFloor()
    {
        double[] r = Rates(new() { Type = "cosine", MinLearningRate = 0.01 }, 4);
        Assert.Equal(0.01 + 0.09 * (1 + Math.Cos(Math.PI / 4)) / 2, r[0], 12);
        Assert.Equal(0.055, r[1], 12);
        Assert.Equal(0.01, r[3], 12);
    }

    [Fact]
    public void ReduceOnPlateauWaitsPatienceEpochsThenDecays()
    {
        // Loss improves for 2 epochs, then stalls: with patience 2 the 3rd bad epoch decays.
        double[] losses = [1.0, 0.5, 0.5, 0.5, 0.5, 0.5];
        double[] r = Rates(new() { Type = "reduce_on_plateau", Patience = 2, Factor = 0.5 }, 6, e => losses[e - 1]);
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.05, 0.05], r.Select(v => Math.Round(v, 12)).ToArray());
    }

    [Fact]
    public void ReduceOnPlateauSkipsAReductionSmallerThanEpsAsPyTorchDoes()
    {
        // Patience 0, factor 0.1, a loss that never improves after epoch 1: every epoch from the 2nd reduces, by hand
        // with PyTorch's rule (new = old·factor, applied only if old − new > eps = 1e-8): 0.1 → 1e-2 → … → 1e-8, then
        // 1e-8 − 1e-9 = 9e-9 ≤ eps, so it stays at 1e-8 (without eps it went on to 1e-15 and below).
        double[] r = Rates(new() { Type = "reduce_on_plateau", Patience = 0, Factor = 0.1 }, 12);
        double[] expected = [0.1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-8, 1e-8, 1e-8, 1e-8];
        for (int e = 0; e < expected.Length; e++) Assert.Equal(expected[e], r[e], expected[e] * 1e-9);
    }

    [Fact]
    public void ReduceOnPlateauAppliesAReductionJustAboveEps()
    {
        // From 3e-8 with factor 0.5: 3e-8 − 1.5e-8 = 1.5e-8 > eps, applied; then 1.5e-8 − 7.5e-9 = 7.5e-9 ≤ eps, skipped.
        var s = new LearningRateSchedule(new() { Type = "reduce_on_plateau", Patience = 0, Factor = 0.5 }, 3e-8, 4);
        double[] r = Enumerable.Range(1, 4).Select(e => s.OnEpochEnd(e, 1.0)).ToArray();
        Assert.Equal([3e-8, 1.5e-8, 1.5e-8, 1.5e-8], r);
    }
}
