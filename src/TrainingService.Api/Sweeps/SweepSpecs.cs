using System.Text.Json.Nodes;
using TrainingService.Engine.Data;
using TrainingService.Engine.Sweeps;
using TrainingService.Engine.Training;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Api.Sweeps;

/// <summary>
/// Checks a sweep request and builds its trials' specs. Every parameter path must be one the vocabulary knows
/// (<see cref="SweepPaths"/>), and every value a trial can get — each listed value, each range's bounds — is set in the
/// base and validated as a run's spec is (<see cref="TrainingSession.Plan"/>), so a value no run could train with is a
/// 400 before anything is queued. Errors are keyed as written: <c>parameters["optimizer.learningRate"].min</c>,
/// <c>base.dataset.name</c>, <c>runCap</c>.
/// </summary>
public static class SweepSpecs
{
    public const int MaxNameLength = 100, MaxParameters = 20, MaxValues = 100, MaxParallel = 64;
    public const string TagPrefix = "sweep:";

    public static SweepDefinition Validate(SweepRequest r, string dataDirectory, SpecLimits limits, int maxTrials, CancellationToken ct = default)
    {
        var errors = new List<SpecError>();
        if (r.Name is { } n && (string.IsNullOrWhiteSpace(n) || n.Length > MaxNameLength)) errors.Add(new("name", $"must be 1–{MaxNameLength} characters, not blank"));
        var method = r.Method is null ? null : SweepDefinition.ParseMethod(r.Method);
        if (method is null) errors.Add(new("method", $"must be grid, random or bayes, got {Quote(r.Method)}"));
        r.Metric ??= new SweepMetricRequest();
        r.Metric.Name ??= "validationLoss";
        if (!SweepMetrics.Names.Contains(r.Metric.Name))
            errors.Add(new("metric.name", $"must be one of {string.Join(", ", SweepMetrics.Names)}, got {Quote(r.Metric.Name)}"));
        r.Metric.Goal ??= SweepMetrics.DefaultGoal(r.Metric.Name);
        if (r.Metric.Goal is not ("minimize" or "maximize")) errors.Add(new("metric.goal", $"must be minimize or maximize, got {Quote(r.Metric.Goal)}"));
        r.Parallel ??= 1;
        if (r.Parallel is < 1 or > MaxParallel) errors.Add(new("parallel", $"must be an integer in [1, {MaxParallel}]: trials queued or running at once, got {r.Parallel}"));
        if (r.RunCap is { } cap && (cap < 1 || cap > maxTrials)) errors.Add(new("runCap", $"must be an integer in [1, {maxTrials}] (Training__MaxSweepTrials), got {cap}"));
        else if (r.RunCap is null && method is SweepMethod.Random or SweepMethod.Bayes)
            errors.Add(new("runCap", $"{r.Method} needs runCap: how many trials to run, 1–{maxTrials}"));
        if (r.Seed is < 0) errors.Add(new("seed", $"must be ≥ 0, got {r.Seed}"));
        if (r.EarlyTerminate is { } e)
        {
            if (e.Type != "hyperband") errors.Add(new("earlyTerminate.type", $"must be hyperband, got {Quote(e.Type)}"));
            e.MinEpochs ??= 1;
            e.Eta ??= 3;
            if (e.MinEpochs < 1) errors.Add(new("earlyTerminate.minEpochs", $"must be ≥ 1, got {e.MinEpochs}"));
            if (e.Eta < 2) errors.Add(new("earlyTerminate.eta", $"must be ≥ 2, got {e.Eta}"));
            if (!SweepMetrics.PerEpoch.Contains(r.Metric.Name))
                errors.Add(new("metric.name", $"hyperband compares trials at their rung epochs by a per-epoch metric: {string.Join(", ", SweepMetrics.PerEpoch)}; got {Quote(r.Metric.Name)}"));
        }
        if (r.Base is null) errors.Add(new("base", "give the base spec every trial starts from"));
        if (r.Parameters is not { Count: >= 1 and <= MaxParameters })
            errors.Add(new("parameters", $"give 1–{MaxParameters} parameters by spec path, e.g. {{ \"optimizer.learningRate\": {{ \"distribution\": \"log_uniform\", \"min\": 1e-4, \"max\": 0.1 }} }}"));
        else CheckShapes(r.Parameters, method, errors);
        if (errors.Count > 0 || r.Base is null) throw new SpecException(errors);

        // The base alone, then every value a trial can take set in it.
        var baseSpec = r.Base;
        if (baseSpec.Tags is { Count: >= 20 } tags) throw new SpecException("base.tags", $"at most 19 tags: every trial also gets the tag {TagPrefix}ID, got {tags.Count}");
        baseSpec.Seed ??= Random.Shared.NextInt64(0, 1L << 31);
        RunPlan basePlan;
        TrainingSession.LoadedData baseData;
        try
        {
            baseData = TrainingSession.LoadData(Copy(baseSpec), dataDirectory, limits);
            basePlan = TrainingSession.Plan(Copy(baseSpec), baseData, limits);
        }
        catch (SpecException x)
        {
            throw new SpecException([.. x.Errors.Select(y => y with { Path = y.Path == "$" ? "base" : $"base.{y.Path}" })]);
        }
        catch (Exception x) when (x is ArgumentException or DataFormatException or InvalidDataException)
        {
            throw new SpecException("base.dataset", x.Message);
        }
        foreach (var (path, p) in r.Parameters!)
        {
            var tried = p!.Values is { } values
                ? values.Select((v, i) => ($"values[{i}]", v!))
                : [("min", Bound(p, p.Min!.Value)), ("max", Bound(p, p.Max!.Value))];
            foreach (var (where, value) in tried)
                if (!ct.IsCancellationRequested && TrialErrors(baseSpec, path, value, dataDirectory, limits, baseData) is { } message) errors.Add(new($"{Key(path)}.{where}", message));
        }
        if (r.EarlyTerminate is { } h && errors.Count == 0 && !r.Parameters!.ContainsKey("epochs") && h.MinEpochs >= basePlan.Spec.Epochs)
            errors.Add(new("earlyTerminate.minEpochs", $"must be below the base's epochs ({basePlan.Spec.Epochs}): the first rung is at epoch minEpochs"));
        ct.ThrowIfCancellationRequested();
        if (errors.Count > 0) throw new SpecException(errors);

        r.Seed ??= Random.Shared.NextInt64(0, 1L << 31);
        var definition = SweepDefinition.From(r);
        if (method == SweepMethod.Grid && r.RunCap is null && SweepGrid.Count(definition.Parameters) > maxTrials)
            throw new SpecException("parameters", $"the grid has {SweepGrid.Count(definition.Parameters):N0} combinations, more than {maxTrials} (Training__MaxSweepTrials); set runCap or fewer values");
        r.Name ??= $"{r.Method} sweep on {SpecDefaults.DatasetName(baseSpec)}";
        return definition;
    }

    /// <summary>Trial <paramref name="index"/>'s run: the base with the values set, named <c>{sweep} #{index}</c>, tagged
    /// <c>sweep:{id}</c>, with the base's seed (so trials differ only by what is swept).</summary>
    public static RunPlan Trial(SweepDefinition d, long sweepId, string sweepName, int index, IReadOnlyDictionary<string, JsonNode> values, string dataDirectory, SpecLimits limits)
    {
        var spec = TrialSpec(d.Base, values);
        spec.Name = $"{sweepName} #{index}";
        spec.Tags = [.. d.Base.Tags ?? [], $"{TagPrefix}{sweepId}"];
        return TrainingSession.Plan(spec, dataDirectory, limits);
    }

    public static RunSpec TrialSpec(RunSpec baseSpec, IReadOnlyDictionary<string, JsonNode> values) => SweepPaths.Apply(baseSpec, values);

    /// <summary>Whether a trial's data differs from the base's when <paramref name="path"/> is swept: what the catalog
    /// loads a dataset from (its name, a generator's samples and noise, the seed a generator draws with).</summary>
    private static bool ChangesData(string path) => path is "seed" or "dataset.name" or "dataset.samples" or "dataset.noise";

    /// <summary>What is wrong with the base once <paramref name="path"/> is <paramref name="value"/>, or null. The base's
    /// data serves every path the dataset is not made from (<see cref="ChangesData"/>): up to <see cref="MaxParameters"/> ×
    /// <see cref="MaxValues"/> values are checked, and loading MNIST for each took ≈ 35 ms (3.6 s for 100 values of one
    /// parameter).</summary>
    private static string? TrialErrors(RunSpec baseSpec, string path, JsonNode value, string dataDirectory, SpecLimits limits, TrainingSession.LoadedData baseData)
    {
        try
        {
            var spec = TrialSpec(baseSpec, new Dictionary<string, JsonNode> { [path] = value });
            if (ChangesData(path)) TrainingSession.Plan(spec, dataDirectory, limits);
            else TrainingSession.Plan(spec, baseData, limits);
            return null;
        }
        catch (SpecException x)
        {
            return string.Join("; ", x.Errors.Take(3).Select(y => y.Path == path ? y.Message : $"{y.Path}: {y.Message}"));
        }
        catch (Exception x) when (x is ArgumentException or DataFormatException or InvalidDataException)
        {
            return x.Message;
        }
    }

    /// <summary>Each parameter's own shape: a known path, values or a distribution that fits the field's type.</summary>
    private static void CheckShapes(Dictionary<string, SweepParameterRequest?> parameters, SweepMethod? method, List<SpecError> errors)
    {
        foreach (var (path, p) in parameters)
        {
            string key = Key(path);
            if (!SweepPaths.Known.TryGetValue(path, out var field))
            {
                errors.Add(new(key, "not a field of the spec: give a spec path the vocabulary knows (GET /api/spec), e.g. optimizer.learningRate, optimizer.type, model.hidden, batchSize"));
                continue;
            }
            if (p is null || (p.Values is null) == (p.Distribution is null))
            {
                errors.Add(new(key, "give either values: [...] or distribution, min and max"));
                continue;
            }
            if (p.Values is { } values)
            {
                if (values.Count is 0 or > MaxValues) errors.Add(new($"{key}.values", $"list 1–{MaxValues} values, got {values.Count}"));
                var seen = new HashSet<string>();
                for (int i = 0; i < values.Count; i++)
                    if (values[i] is null) errors.Add(new($"{key}.values[{i}]", "is null; expected a number, string, boolean or array"));
                    else if (!seen.Add(values[i]!.ToJsonString())) errors.Add(new($"{key}.values[{i}]", $"{values[i]!.ToJsonString()} is listed twice"));
                if (p.Min is not null || p.Max is not null) errors.Add(new(key, "min and max go with a distribution, not with values"));
                continue;
            }
            if (method == SweepMethod.Grid) errors.Add(new($"{key}.values", "a grid sweep needs values for every parameter (a distribution cannot be enumerated)"));
            var distribution = SweepDefinition.ParseDistribution(p.Distribution);
            if (distribution is null) { errors.Add(new($"{key}.distribution", $"must be uniform, log_uniform or int_uniform, got {Quote(p.Distribution)}")); continue; }
            if (field.Type is not (FieldType.Number or FieldType.Integer))
            {
                errors.Add(new($"{key}.distribution", $"{path} is not a number ({field.Type.ToString().ToLowerInvariant()}): give values"));
                continue;
            }
            if (field.Type == FieldType.Integer && distribution != SweepDistribution.IntUniform)
                errors.Add(new($"{key}.distribution", $"{path} is an integer: use int_uniform (or values)"));
            if (p.Min is not { } min) { errors.Add(new($"{key}.min", "required with a distribution")); continue; }
            if (p.Max is not { } max) { errors.Add(new($"{key}.max", "required with a distribution")); continue; }
            if (!(min < max)) errors.Add(new($"{key}.min", $"must be below max ({max}), got {min}"));
            if (distribution == SweepDistribution.LogUniform && min <= 0) errors.Add(new($"{key}.min", $"log_uniform needs min > 0, got {min}"));
            if (distribution == SweepDistribution.IntUniform)
            {
                if (min != Math.Floor(min) || Math.Abs(min) > int.MaxValue) errors.Add(new($"{key}.min", $"int_uniform needs a whole number, got {min}"));
                if (max != Math.Floor(max) || Math.Abs(max) > int.MaxValue) errors.Add(new($"{key}.max", $"int_uniform needs a whole number, got {max}"));
            }
        }
    }

    /// <summary>A range's bound as a trial would get it (an integer for int_uniform).</summary>
    private static JsonNode Bound(SweepParameterRequest p, double x) =>
        p.Distribution == "int_uniform" ? JsonValue.Create((long)x) : JsonValue.Create(x);

    public static string Key(string path) => $"parameters[\"{(path.Length > 100 ? path[..100] + "…" : path)}\"]";

    private static string Quote(string? s) => s is null ? "nothing" : $"'{(s.Length > 40 ? s[..40] + "…" : s)}'";

    private static RunSpec Copy(RunSpec spec) => SpecJson.Parse(SpecJson.Serialize(spec));
}
