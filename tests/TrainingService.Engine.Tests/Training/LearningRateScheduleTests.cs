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
}
