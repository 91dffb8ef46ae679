using System.Text.Json.Nodes;
using TrainingService.Engine.Sweeps;
using static TrainingService.Engine.Tests.Sweeps.SweepTrials;

namespace TrainingService.Engine.Tests.Sweeps;

public sealed class TpeSamplerTests
{
    private static readonly SweepParameter[] Parameters =
    [
        SweepRuns.LearningRate,
        SweepRuns.Width,
        new SweepRange("optimizer.momentum", SweepDistribution.Uniform, 0, 0.99),
        new SweepValues("model.activation", ["relu", "tanh", "sigmoid"]),
    ];

    /// <summary>The quadratic, worse by 0.5 for anything but tanh.</summary>
    private static double? Loss(IReadOnlyDictionary<string, JsonNode> trial, TrainingService.Engine.Tensors.Rng noise) =>
        SweepRuns.Quadratic(trial, noise) + (trial["model.activation"].ToJsonString() == "\"tanh\"" ? 0 : 0.5);

    private static List<SweepObservation> Run(ulong seed, int trials = 30) =>
        SweepRuns.Run(SweepSamplers.Create(SweepMethod.Bayes, Parameters, seed), trials, Loss, seed);

    [Fact]
    public void TheSameSeedGivesTheSameTrialsAndAnotherSeedOthers()
    {
        var a = Run(5).Select(o => Text(o.Parameters)).ToList();
        Assert.Equal(a, Run(5).Select(o => Text(o.Parameters)).ToList());
        var b = Run(6).Select(o => Text(o.Parameters)).ToList();
        Assert.All(Enumerable.Range(0, a.Count), i => Assert.NotEqual(a[i], b[i]));
    }

    [Fact]
    public void TheFirstTenTrialsAreTheRandomSamplersAndLaterOnesAreNot()
    {
        var tpe = SweepSamplers.Create(SweepMethod.Bayes, Parameters, 9);
        var random = SweepSamplers.Create(SweepMethod.Random, Parameters, 9);
        var history = Run(9, TpeSampler.StartupTrials);
        Assert.Equal(Text(random.Suggest(9, history[..9])!), Text(tpe.Suggest(9, history[..9])!));
        Assert.NotEqual(Text(random.Suggest(10, history)!), Text(tpe.Suggest(10, history)!));
    }

    [Fact]
    public void AProposalDependsOnTheHistoryNotOnItsOrder()
    {
        var history = Run(4, 20);
        var tpe = SweepSamplers.Create(SweepMethod.Bayes, Parameters, 4);
        var shuffled = history.OrderBy(o => (o.Index * 7919) % 20).ToList();
        Assert.NotEqual(history.Select(o => o.Index), shuffled.Select(o => o.Index));
        Assert.Equal(Text(tpe.Suggest(20, history)!), Text(tpe.Suggest(20, shuffled)!));
        // …and on the history: another outcome of the same trials moves the proposal.
        var reversed = history.Select(o => o with { Loss = -o.Loss }).ToList();
        Assert.NotEqual(Text(tpe.Suggest(20, history)!), Text(tpe.Suggest(20, reversed)!));
    }

    [Fact]
    public void FailedTrialsRankWorst()
    {
        var history = Run(2, 20);
        // Fail the best half: with their losses gone they must rank below every finished trial, as a huge loss does.
        var best = history.OrderBy(o => o.Loss).Take(10).Select(o => o.Index).ToHashSet();
        var failed = history.Select(o => best.Contains(o.Index) ? o with { Loss = null } : o).ToList();
        var diverged = history.Select(o => best.Contains(o.Index) ? o with { Loss = double.NaN } : o).ToList();
        var worst = history.Select(o => best.Contains(o.Index) ? o with { Loss = 1e300 } : o).ToList();
        var tpe = SweepSamplers.Create(SweepMethod.Bayes, Parameters, 2);
        for (int index = 20; index < 25; index++)
        {
            string expected = Text(tpe.Suggest(index, worst)!);
            Assert.Equal(expected, Text(tpe.Suggest(index, failed)!));
            Assert.Equal(expected, Text(tpe.Suggest(index, diverged)!));
            Assert.NotEqual(Text(tpe.Suggest(index, history)!), expected);
        }
    }

    [Fact]
    public void EveryProposalRespectsItsDistribution()
    {
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
            foreach (var o in Run(seed, 60)) AssertRespects(Parameters, o.Parameters);
    }

    [Fact]
    public void GoodTrialsAreTheBestTenthUpTo25AndOlderTrialsWeighLessBeyond25()
    {
        Assert.Equal([1, 1, 1, 2, 3, 10, 25, 25], new[] { 1, 5, 10, 11, 30, 100, 250, 1000 }.Select(TpeSampler.Gamma));
        Assert.Equal(Enumerable.Repeat(1.0, 25), TpeSampler.Weights(25));
        var w = TpeSampler.Weights(30); // numpy.linspace(1/30, 1, 5) then 25 ones
        double[] ramp = [1 / 30.0, 1 / 30.0 + (29 / 30.0) / 4, 1 / 30.0 + (29 / 30.0) / 2, 1 / 30.0 + 3 * (29 / 30.0) / 4, 1.0];
        for (int i = 0; i < 5; i++) Assert.Equal(ramp[i], w[i], 1e-15);
        Assert.All(w[5..], x => Assert.Equal(1.0, x));
    }
}
