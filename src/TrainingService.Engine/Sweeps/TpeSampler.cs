using System.Text.Json.Nodes;

namespace TrainingService.Engine.Sweeps;

/// <summary>Tree-structured Parzen estimator (Optuna's default TPESampler). Work in progress: random for now.</summary>
public sealed class TpeSampler : ISweepSampler
{
    private readonly RandomSampler _startup;

    public TpeSampler(IReadOnlyList<SweepParameter> parameters, ulong seed)
    {
        SweepSamplers.Validate(parameters);
        _startup = new RandomSampler(parameters, seed);
    }

    public IReadOnlyDictionary<string, JsonNode>? Suggest(int index, IReadOnlyList<SweepObservation> history) =>
        _startup.Suggest(index, history);
}
