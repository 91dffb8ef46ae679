using System.Text.Json.Nodes;

namespace TrainingService.Engine.Sweeps;

/// <summary>Proposes the parameters of a sweep's trials.</summary>
public interface ISweepSampler
{
    /// <summary>The parameters of trial <paramref name="index"/> (0-based) — path → a fresh JSON value, one entry per
    /// swept parameter — given every trial finished so far (any order). Deterministic for (seed, index, history).
    /// Null when the method has nothing more to propose (grid exhausted).</summary>
    IReadOnlyDictionary<string, JsonNode>? Suggest(int index, IReadOnlyList<SweepObservation> history);
}
