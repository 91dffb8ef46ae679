using System.Text.Json.Nodes;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Sweeps;

/// <summary>
/// Independent draws (W&amp;B's <c>random</c>): each parameter of trial i from its own stream of (seed, i, path), so a
/// seed gives the same trials whatever finished before and in whatever order, and adding a parameter leaves the
/// others' draws unchanged. Values lists are picked uniformly; ranges from their <see cref="SweepDistribution"/>.
/// </summary>
public sealed class RandomSampler : ISweepSampler
{
    private readonly IReadOnlyList<SweepParameter> _parameters;
    private readonly ulong _seed;

    public RandomSampler(IReadOnlyList<SweepParameter> parameters, ulong seed)
    {
        SweepSamplers.Validate(parameters);
        _parameters = parameters;
        _seed = seed;
    }

    public IReadOnlyDictionary<string, JsonNode>? Suggest(int index, IReadOnlyList<SweepObservation> history)
    {
        var trial = new Dictionary<string, JsonNode>(_parameters.Count);
        foreach (var p in _parameters) trial[p.Path] = Draw(p, Stream(_seed, "random", index, p.Path));
        return trial;
    }

    /// <summary>One draw of <paramref name="p"/> from its prior.</summary>
    public static JsonNode Draw(SweepParameter p, Rng rng) => p switch
    {
        SweepValues v => v.Values[rng.NextInt(v.Values.Count)].DeepClone(),
        SweepRange r => r.ToJson(DrawNumber(r, rng)),
        _ => throw new ArgumentException($"parameters[\"{p.Path}\"]: unknown kind {p.GetType().Name}", p.Path),
    };

    private static double DrawNumber(SweepRange r, Rng rng) => r.Distribution switch
    {
        // Uniform in [min, max): the upper bound has probability zero anyway.
        SweepDistribution.Uniform => r.Uniform01(rng.NextDouble()),
        SweepDistribution.LogUniform => r.FromAxis(Math.Log(r.Min) + (Math.Log(r.Max) - Math.Log(r.Min)) * rng.NextDouble()),
        SweepDistribution.IntUniform => r.Min + rng.NextInt((int)(r.Max - r.Min) + 1),
        _ => throw new ArgumentOutOfRangeException(nameof(r), r.Distribution, "unknown distribution"),
    };

    /// <summary>The generator for one (seed, purpose, trial, parameter): named sub-streams of the sweep's seed.</summary>
    internal static Rng Stream(ulong seed, string purpose, int index, string path) =>
        Rng.ForStream(unchecked((long)seed), $"sweep/{purpose}/{index}/{path}");
}
