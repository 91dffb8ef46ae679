using TrainingService.Engine.Sweeps;
using Xunit.Abstractions;

namespace TrainingService.Engine.Tests.Sweeps;

public sealed class TpeBeatsRandomTests(ITestOutputHelper output)
{
    [Fact]
    public void OnANoisyQuadraticInLogLearningRateAndWidthTpeFindsALowerBestThanRandomSearchOnAverage()
    {
        SweepParameter[] parameters = [SweepRuns.LearningRate, SweepRuns.Width];
        const int trials = 40;
        var tpe = new List<double>();
        var random = new List<double>();
        for (ulong seed = 1; seed <= 10; seed++)
        {
            tpe.Add(SweepRuns.Run(SweepSamplers.Create(SweepMethod.Bayes, parameters, seed), trials, SweepRuns.Quadratic, seed).Min(o => o.Loss!.Value));
            random.Add(SweepRuns.Run(SweepSamplers.Create(SweepMethod.Random, parameters, seed), trials, SweepRuns.Quadratic, seed).Min(o => o.Loss!.Value));
        }
        output.WriteLine($"TPE    {string.Join(" ", tpe.Select(x => x.ToString("F3")))} mean {tpe.Average():F3}");
        output.WriteLine($"random {string.Join(" ", random.Select(x => x.ToString("F3")))} mean {random.Average():F3}");
        // The first ten trials are the same random ones; over the next thirty TPE must gain clearly (0.34 with these
        // seeds, deterministic), and on most seeds.
        Assert.True(tpe.Average() + 0.25 < random.Average(), $"TPE {tpe.Average()} vs random {random.Average()}");
        Assert.True(tpe.Zip(random).Count(p => p.First < p.Second) >= 7, "TPE wins on at least 7 of 10 seeds");
    }
}
