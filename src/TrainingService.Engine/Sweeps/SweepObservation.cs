using System.Text.Json.Nodes;

namespace TrainingService.Engine.Sweeps;

/// <summary>
/// One finished (or pruned) trial as a sampler sees it: its index in the sweep, its parameter values and its metric,
/// always "lower is better" (the service negates a maximized metric). Loss null (or NaN) = a failed or diverged trial,
/// ranked worst. The index orders the history (TPE weighs older trials less), so a history in any order gives the
/// same suggestions.
/// </summary>
public sealed record SweepObservation(int Index, IReadOnlyDictionary<string, JsonNode> Parameters, double? Loss)
{
    /// <summary>The loss for ranking: +∞ for a failed trial.</summary>
    public double Rank => Loss is { } l && !double.IsNaN(l) ? l : double.PositiveInfinity;
}
