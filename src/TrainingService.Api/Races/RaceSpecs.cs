using TrainingService.Engine.Data;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Races;

/// <summary>
/// Turns a race request into one validated run per variant. Fairness comes from the engine: initial weights and
/// mini-batch order are drawn from the seed's "init" and "batches" streams, so variants sharing the seed, the data
/// and the layer shapes start from the same weights and see the same batches. The seed is therefore fixed here,
/// once, when the base leaves it unset. Variants may differ in shape (an MLP's <c>hidden</c> against a CNN's
/// <c>model.layers</c>): their weights then differ, but the split, the batch order and the seed are the same. Errors come back keyed by where they are written: <c>variants[2].optimizer.learningRate</c>,
/// <c>base.model.hidden[0]</c>.
/// </summary>
public static class RaceSpecs
{
    public const int MaxVariants = 12;
    public const int MaxLabelLength = 60;

    public static (string Name, List<RunPlan> Runs) Build(RaceRequest request, string dataDirectory, SpecLimits? limits = null)
    {
        var errors = new List<SpecError>();
        if (request.Name is { } n && (string.IsNullOrWhiteSpace(n) || n.Length > 100)) errors.Add(new("name", "must be 1–100 characters, not blank"));
        if (request.Base is null) errors.Add(new("base", "give the base spec every variant shares"));
        if (request.Variants is not { Count: >= 1 and <= MaxVariants } variants)
        {
            errors.Add(new("variants", $"give 1–{MaxVariants} variants, got {request.Variants?.Count ?? 0}"));
            throw new SpecException(errors);
        }
        for (int i = 0; i < variants.Count; i++)
        {
            if (variants[i] is not { } v) { errors.Add(new($"variants[{i}]", "must be an object with optimizer and/or model")); continue; }
            if (v.Optimizer is null && v.Model is null) errors.Add(new($"variants[{i}]", "set optimizer and/or model: a variant equal to the base races nothing"));
            if (v.Label is { } l && (string.IsNullOrWhiteSpace(l) || l.Length > MaxLabelLength))
                errors.Add(new($"variants[{i}].label", $"must be 1–{MaxLabelLength} characters, not blank"));
        }
        if (request.Base is null) throw new SpecException(errors);
        // The base's array lengths once, before it is copied into every variant.
        if (SpecValidator.Structure(request.Base, limits) is { Count: > 0 } structure)
            throw new SpecException([.. errors, .. structure.Select(x => x with { Path = $"base.{x.Path}" })]);

        var baseSpec = request.Base!;
        string name = request.Name ?? baseSpec.Name ?? $"race on {SpecDefaults.DatasetName(baseSpec)}";
        string baseJson = SpecJson.Serialize(baseSpec);
        long seed = baseSpec.Seed ?? Random.Shared.NextInt64(0, 1L << 31);
        // A perceptron raced against a layer stack (an MLP against a CNN) is named by its kind, not its activation.
        bool mixesShapes = variants.Any(v => (v?.Model ?? baseSpec.Model)?.Layers is not null) && variants.Any(v => (v?.Model ?? baseSpec.Model)?.Layers is null);
        var runs = new List<RunPlan>();
        for (int i = 0; i < variants.Count; i++)
        {
            if (variants[i] is not { } v || (v.Optimizer is null && v.Model is null)) continue;
            var spec = SpecJson.Parse(baseJson); // a deep copy
            if (v.Optimizer is not null) spec.Optimizer = v.Optimizer;
            if (v.Model is not null) spec.Model = v.Model;
            spec.Seed = seed;
            string label = v.Label ?? DefaultLabel(v, mixesShapes);
            spec.Name = $"{name} · {label}";
            try
            {
                runs.Add(TrainingSession.Plan(spec, dataDirectory, limits));
            }
            catch (SpecException e)
            {
                errors.AddRange(e.Errors.Select(x => x with { Path = Locate(x.Path, i, v, baseSpec) }));
            }
            catch (Exception e) when (e is ArgumentException or DataFormatException or InvalidDataException)
            {
                errors.Add(new("base.dataset", e.Message));
            }
        }
        if (errors.Count > 0) throw new SpecException(errors.Distinct().ToList());
        return (name, runs);
    }

    /// <summary>A variant's name without a label: its optimizer; else its model — "cnn" (a conv2d layer) or "layers" for a
    /// layer stack, "mlp" for a perceptron in a race with layer stacks, otherwise its activation.</summary>
    private static string DefaultLabel(RaceVariant v, bool mixesShapes)
    {
        if (v.Optimizer is not null) return v.Optimizer.Type ?? SpecDefaults.Optimizer;
        if (v.Model!.Layers is { } layers) return layers.Any(l => l?.Type == "conv2d") ? "cnn" : "layers";
        return mixesShapes ? "mlp" : v.Model.Activation ?? SpecDefaults.Activation;
    }

    /// <summary>Where the user wrote the field a spec error names.</summary>
    private static string Locate(string path, int i, RaceVariant v, RunSpec baseSpec)
    {
        if (path == "$") return path;
        if (v.Optimizer is not null && IsUnder(path, "optimizer")) return $"variants[{i}].{path}";
        if (v.Model is not null && IsUnder(path, "model")) return $"variants[{i}].{path}";
        if (path == "name") return v.Label is null ? "name" : $"variants[{i}].label";
        return $"base.{path}";
    }

    private static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(root + ".", StringComparison.Ordinal) || path.StartsWith(root + "[", StringComparison.Ordinal);
}
