using System.Text.Json.Nodes;
using TrainingService.Engine.Sweeps;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Sweeps;

/// <summary>
/// A sweep as the coordinator works from it: the accepted request (stored as the sweep's definition JSON) read into
/// the engine's terms — the method, the parameters as <see cref="SweepParameter"/>s, hyperband if asked, and how many
/// trials it runs in all. <see cref="SweepSpecs.Validate"/> makes one from a request; <see cref="Read"/> from a stored sweep.
/// </summary>
public sealed record SweepDefinition(SweepRequest Request, SweepMethod Method, IReadOnlyList<SweepParameter> Parameters, Hyperband? Hyperband, int TrialLimit)
{
    public string Metric => Request.Metric!.Name!;
    public string Goal => Request.Metric!.Goal!;
    public RunSpec Base => Request.Base!;

    public string ToJson() => SpecJson.Serialize(Request);

    /// <summary>A stored definition (valid when it was stored).</summary>
    public static SweepDefinition Read(string json) => From(SpecJson.Parse<SweepRequest>(json));

    /// <summary>The engine's view of a request whose fields have been checked (<see cref="SweepSpecs"/>).</summary>
    internal static SweepDefinition From(SweepRequest r)
    {
        var method = ParseMethod(r.Method!)!.Value;
        var parameters = r.Parameters!.Select(p => ToEngine(p.Key, p.Value!)).ToList();
        var hyperband = r.EarlyTerminate is { } e ? new Hyperband(e.MinEpochs!.Value, e.Eta!.Value) : null;
        long limit = method == SweepMethod.Grid ? Math.Min(SweepGrid.Count(parameters), r.RunCap ?? long.MaxValue) : r.RunCap!.Value;
        return new SweepDefinition(r, method, parameters, hyperband, (int)Math.Min(limit, int.MaxValue));
    }

    public static SweepMethod? ParseMethod(string method) => method switch
    {
        "grid" => SweepMethod.Grid,
        "random" => SweepMethod.Random,
        "bayes" => SweepMethod.Bayes,
        _ => null,
    };

    public static SweepDistribution? ParseDistribution(string? distribution) => distribution switch
    {
        "uniform" => SweepDistribution.Uniform,
        "log_uniform" => SweepDistribution.LogUniform,
        "int_uniform" => SweepDistribution.IntUniform,
        _ => null,
    };

    private static SweepParameter ToEngine(string path, SweepParameterRequest p) => p.Values is { } values
        ? new SweepValues(path, values.Select(v => v!).ToList())
        : new SweepRange(path, ParseDistribution(p.Distribution)!.Value, p.Min!.Value, p.Max!.Value);

    /// <summary>A trial's values as the JSON object stored with it and shown.</summary>
    public static JsonObject ToObject(IReadOnlyDictionary<string, JsonNode> values) =>
        new(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value.DeepClone())));
}
