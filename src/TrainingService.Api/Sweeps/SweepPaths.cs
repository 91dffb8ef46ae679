using System.Text.Json.Nodes;
using TrainingService.Engine.Training;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Api.Sweeps;

/// <summary>
/// The spec paths a sweep may vary, read from the engine's vocabulary (the registry behind <c>GET /api/spec</c>): the
/// spec's own fields, every optimizer's and schedule's fields under <c>optimizer.</c> and <c>optimizer.schedule.</c>,
/// and the generators' fields under <c>dataset.</c>. A trial's spec is the base with such paths set (<see cref="Set"/>).
/// </summary>
public static class SweepPaths
{
    /// <summary>Not swept: a trial's name is the sweep's, and its run seed is the base's.</summary>
    private static readonly HashSet<string> Fixed = ["name"];

    public static IReadOnlyDictionary<string, SpecField> Known { get; } = Build();

    private static Dictionary<string, SpecField> Build()
    {
        var known = new Dictionary<string, SpecField>(StringComparer.Ordinal);
        void Add(string path, SpecField field) => known.TryAdd(path, field);
        foreach (var f in SpecVocabulary.RunFields.Where(f => !Fixed.Contains(f.Name))) Add(f.Name, f);
        foreach (var o in SpecVocabulary.Optimizers) foreach (var f in o.Fields) Add($"optimizer.{f.Name}", f);
        foreach (var s in SpecVocabulary.Schedules) foreach (var f in s.Fields) Add($"optimizer.schedule.{f.Name}", f);
        foreach (var d in SpecVocabulary.Datasets) foreach (var f in d.Fields) Add($"dataset.{f.Name}", f);
        return known;
    }

    /// <summary>Sets <paramref name="path"/> (dot-separated) to <paramref name="value"/> in a spec's JSON, creating the
    /// objects on the way.</summary>
    public static void Set(JsonObject spec, string path, JsonNode value)
    {
        string[] parts = path.Split('.');
        var node = spec;
        foreach (string part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = new JsonObject();
                node[part] = child;
            }
            node = child;
        }
        node[parts[^1]] = value.DeepClone();
    }

    /// <summary>The base with the trial's values set, as a spec.</summary>
    public static RunSpec Apply(RunSpec baseSpec, IReadOnlyDictionary<string, JsonNode> values)
    {
        var json = JsonNode.Parse(SpecJson.Serialize(baseSpec))!.AsObject();
        foreach (var (path, value) in values) Set(json, path, value);
        return SpecJson.Parse(json.ToJsonString());
    }
}
