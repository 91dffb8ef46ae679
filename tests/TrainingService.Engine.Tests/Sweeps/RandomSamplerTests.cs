using System.Text.Json.Nodes;
using TrainingService.Engine.Sweeps;
using static TrainingService.Engine.Tests.Sweeps.SweepTrials;

namespace TrainingService.Engine.Tests.Sweeps;

public sealed class RandomSamplerTests
{
    private static readonly SweepParameter[] Parameters =
    [
        new SweepRange("optimizer.learningRate", SweepDistribution.LogUniform, 1e-4, 1),
        new SweepRange("optimizer.momentum", SweepDistribution.Uniform, 0.5, 0.99),
        new SweepRange("batchSize", SweepDistribution.IntUniform, 1, 3),
        new SweepValues("optimizer.type", ["sgd", "adam", "rmsprop"]),
    ];

    private static List<IReadOnlyDictionary<string, JsonNode>> Draw(ulong seed, int count)
    {
        var sampler = SweepSamplers.Create(SweepMethod.Random, Parameters, seed);
        return Enumerable.Range(0, count).Select(i => sampler.Suggest(i, [])!).ToList();
    }

    [Fact]
    public void TheSameSeedGivesTheSameTrialsAndAnotherSeedOthers()
    {
        var a = Draw(7, 20).Select(Text).ToList();
        Assert.Equal(a, Draw(7, 20).Select(Text).ToList());
        var b = Draw(8, 20).Select(Text).ToList();
        Assert.All(Enumerable.Range(0, 20), i => Assert.NotEqual(a[i], b[i]));
    }

    [Fact]
    public void ATrialDependsOnItsIndexNotOnWhatFinishedBefore()
    {
        var sampler = SweepSamplers.Create(SweepMethod.Random, Parameters, 3);
        var history = Enumerable.Range(0, 5).Select(i => new SweepObservation(i, sampler.Suggest(i, [])!, i)).ToList();
        Assert.Equal(Text(sampler.Suggest(5, [])!), Text(sampler.Suggest(5, history)!));
        Assert.NotEqual(Text(sampler.Suggest(5, [])!), Text(sampler.Suggest(6, [])!));
    }

    [Fact]
    public void EveryDrawRespectsItsDistribution()
    {
        var trials = Draw(11, 3000);
        foreach (var t in trials) AssertRespects(Parameters, t);

        // int_uniform includes both ends, each about a third of the time; values are picked uniformly too.
        foreach (var (path, count) in new[] { ("batchSize", 3), ("optimizer.type", 3) })
        {
            var counts = trials.GroupBy(t => t[path].ToJsonString()).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(count, counts.Count);
            Assert.All(counts.Values, c => Assert.InRange(c, 900, 1100));
        }
        Assert.Equal(["1", "2", "3"], trials.Select(t => t["batchSize"].ToJsonString()).Distinct().Order());

        // log_uniform is uniform in log: its median is the geometric mean of the bounds (10⁻²), where a uniform draw's
        // would be near 0.5; a uniform draw's median is the middle.
        double logMedian = trials.Select(t => Math.Log10(Number(t, "optimizer.learningRate"))).Order().ElementAt(1500);
        Assert.InRange(logMedian, -2.15, -1.85);
        double fractionBelowAThousandth = trials.Count(t => Number(t, "optimizer.learningRate") < 1e-3) / 3000.0;
        Assert.InRange(fractionBelowAThousandth, 0.22, 0.28); // one decade of four
        double median = trials.Select(t => Number(t, "optimizer.momentum")).Order().ElementAt(1500);
        Assert.InRange(median, 0.745 - 0.02, 0.745 + 0.02);
    }
}
