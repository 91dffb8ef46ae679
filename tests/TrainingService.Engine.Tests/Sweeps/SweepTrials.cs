using System.Text.Json.Nodes;
using TrainingService.Engine.Sweeps;

namespace TrainingService.Engine.Tests.Sweeps;

/// <summary>What the sampler tests read from proposed trials.</summary>
internal static class SweepTrials
{
    /// <summary>A trial as one line of JSON text, parameters in path order.</summary>
    public static string Text(IReadOnlyDictionary<string, JsonNode> trial) =>
        string.Join(" ", trial.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.ToJsonString()}"));

    public static double Number(IReadOnlyDictionary<string, JsonNode> trial, string path) =>
        SweepRange.Read(trial[path]) ?? throw new InvalidOperationException($"{path} is {trial[path].ToJsonString()}, not a number");

    /// <summary>Every value a trial holds respects its parameter: inside [min, max], whole for int_uniform (written
    /// without a decimal point), one of the list for values.</summary>
    public static void AssertRespects(IReadOnlyList<SweepParameter> parameters, IReadOnlyDictionary<string, JsonNode> trial)
    {
        Assert.Equal(parameters.Select(p => p.Path).Order(), trial.Keys.Order());
        foreach (var p in parameters)
        {
            switch (p)
            {
                case SweepValues v:
                    Assert.True(v.IndexOf(trial[p.Path]) >= 0, $"{p.Path} = {trial[p.Path].ToJsonString()} is not one of the values");
                    break;
                case SweepRange r:
                    double x = Number(trial, p.Path);
                    Assert.InRange(x, r.Min, r.Max);
                    if (r.Distribution == SweepDistribution.IntUniform)
                        Assert.Matches("^-?[0-9]+$", trial[p.Path].ToJsonString());
                    break;
            }
        }
    }
}
