using System.Text.Json.Nodes;
using TrainingService.Engine.Sweeps;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Sweeps;

/// <summary>Sequential sweeps on a known function, as the service runs them with parallel 1: each trial is proposed
/// from the trials before it.</summary>
internal static class SweepRuns
{
    public static readonly SweepParameter LearningRate = new SweepRange("optimizer.learningRate", SweepDistribution.LogUniform, 1e-5, 1);
    public static readonly SweepParameter Width = new SweepRange("model.width", SweepDistribution.IntUniform, 8, 256);

    /// <summary>A noisy quadratic bowl in log10(learning rate) and width, lowest at lr = 10⁻², width = 64.</summary>
    public static double? Quadratic(IReadOnlyDictionary<string, JsonNode> trial, Rng noise)
    {
        double lr = SweepRange.Read(trial["optimizer.learningRate"])!.Value;
        double width = SweepRange.Read(trial["model.width"])!.Value;
        return Square(Math.Log10(lr) + 2) + Square((width - 64) / 32) + 0.1 * noise.NextGaussian();
    }

    /// <summary>The observations of <paramref name="trials"/> trials proposed one after another.</summary>
    public static List<SweepObservation> Run(ISweepSampler sampler, int trials, Func<IReadOnlyDictionary<string, JsonNode>, Rng, double?> loss, ulong seed)
    {
        var history = new List<SweepObservation>();
        for (int i = 0; i < trials; i++)
        {
            var trial = sampler.Suggest(i, history) ?? throw new InvalidOperationException($"no trial {i}");
            history.Add(new SweepObservation(i, trial, loss(trial, Rng.ForStream((long)seed, $"noise/{i}"))));
        }
        return history;
    }

    private static double Square(double x) => x * x;
}
