using System.Text.Json.Nodes;
using TrainingService.Engine.Sweeps;
using TrainingService.Engine.Tensors;
using static TrainingService.Engine.Tests.Sweeps.SweepTrials;

namespace TrainingService.Engine.Tests.Sweeps;

public sealed class SweepImportanceTests
{
    private static readonly SweepParameter[] Parameters =
    [
        SweepRuns.LearningRate,
        SweepRuns.Width,
        new SweepValues("model.activation", ["relu", "tanh", "sigmoid"]),
    ];

    private static List<SweepObservation> History(int trials, Func<IReadOnlyDictionary<string, JsonNode>, Rng, double?> loss) =>
        SweepRuns.Run(SweepSamplers.Create(SweepMethod.Random, Parameters, 21), trials, loss, 21);

    private static double Of(IReadOnlyList<(string Path, double Importance)> importance, string path) =>
        importance.Single(i => i.Path == path).Importance;

    [Fact]
    public void AMetricThatDependsOnTheLearningRateOnlyPutsMostWeightThere()
    {
        var importance = SweepImportance.Estimate(Parameters, History(40,
            (t, noise) => Math.Abs(Math.Log10(Number(t, "optimizer.learningRate")) + 2) + 0.05 * noise.NextGaussian()));
        Assert.Equal(Parameters.Select(p => p.Path), importance.Select(i => i.Path));
        Assert.Equal(1.0, importance.Sum(i => i.Importance), 1e-12);
        Assert.All(importance, i => Assert.InRange(i.Importance, 0, 1));
        Assert.True(Of(importance, "optimizer.learningRate") > 0.8, string.Join(", ", importance));
    }

    [Fact]
    public void AMetricThatDependsOnTheActivationOnlyPutsMostWeightThere()
    {
        var importance = SweepImportance.Estimate(Parameters, History(40,
            (t, noise) => (t["model.activation"].ToJsonString() == "\"tanh\"" ? 0 : 1) + 0.05 * noise.NextGaussian()));
        Assert.True(Of(importance, "model.activation") > 0.8, string.Join(", ", importance));
    }

    [Fact]
    public void FailedTrialsAreLeftOutAndTooFewOrConstantMetricsGiveNothing()
    {
        var history = History(40, (t, _) => Math.Log10(Number(t, "optimizer.learningRate")));
        var withFailures = history.Select(o => o.Index % 4 == 0 ? o with { Loss = null } : o).ToList();
        var withoutFailures = withFailures.Where(o => o.Loss is not null).ToList();
        Assert.Equal(SweepImportance.Estimate(Parameters, withoutFailures), SweepImportance.Estimate(Parameters, withFailures));
        Assert.Empty(SweepImportance.Estimate(Parameters, history[..2]));
        Assert.Empty(SweepImportance.Estimate(Parameters, history.Select(o => o with { Loss = 1.0 }).ToList()));
    }
}
