using System.Text.Json.Nodes;

namespace TrainingService.Engine.Sweeps;

/// <summary>
/// Every combination of the parameters' values once, in the order of nested loops over the parameters as listed
/// (the last parameter varies fastest, as Python's itertools.product): trial i is i written in the mixed radix of the
/// values counts. The history is not consulted; past the last combination it proposes nothing.
/// </summary>
public sealed class GridSampler : ISweepSampler
{
    private readonly SweepValues[] _parameters;
    private readonly long _count;

    public GridSampler(IReadOnlyList<SweepParameter> parameters)
    {
        SweepSamplers.Validate(parameters);
        _parameters = parameters.Select(SweepGrid.AsValues).ToArray();
        _count = SweepGrid.Count(parameters);
    }

    public IReadOnlyDictionary<string, JsonNode>? Suggest(int index, IReadOnlyList<SweepObservation> history)
    {
        if (index < 0 || index >= _count) return null;
        var picks = new int[_parameters.Length];
        long rest = index;
        for (int p = _parameters.Length - 1; p >= 0; p--)
        {
            int n = _parameters[p].Values.Count;
            picks[p] = (int)(rest % n);
            rest /= n;
        }
        var trial = new Dictionary<string, JsonNode>(_parameters.Length);
        for (int p = 0; p < _parameters.Length; p++) trial[_parameters[p].Path] = _parameters[p].Values[picks[p]].DeepClone();
        return trial;
    }
}
