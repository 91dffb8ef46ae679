using TrainingService.Engine.Layers;
using TrainingService.Engine.Data;
using TrainingService.Engine.Losses;
using TrainingService.Engine.Search;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Training;

/// <summary>
/// Fills every unset field of a spec; the result is what a run reports and what reproduces it. The spec's own defaults
/// are the constants here; an optimizer's and a schedule's come from their entries (<see cref="SpecVocabulary"/>), and
/// only the fields the chosen entry takes are filled in and echoed back.
/// </summary>
public static class SpecDefaults
{
    public const string Dataset = "spiral";
    public const double ValidationFraction = 0.15;
    public const double TestFraction = 0.15;
    public const bool Shuffle = true;
    public const bool Standardize = false;
    public const int BatchSize = 32;
    public const int Epochs = 20;
    public static readonly int[] Hidden = [16, 16];
    public const string Activation = "relu";
    public const string Init = "default";
    public const string Gradient = "backprop";
    public const string Optimizer = "adam";
    public const string Schedule = "constant";
    public const int EarlyStoppingPatience = 10;

    /// <summary>The dataset name a spec asks for.</summary>
    public static string DatasetName(RunSpec spec) => spec.Dataset?.Name ?? Dataset;

    /// <summary>Output units: classes for cross_entropy (and bce/mse/l1 with one-hot targets), 1 for binary bce, else the target width.</summary>
    public static int OutputSize(string loss, Dataset data) =>
        !data.IsClassification ? data.TargetWidth
        : loss == "bce" && data.Classes == 2 ? 1
        : data.Classes;

    /// <summary>A copy of a valid <paramref name="spec"/> (<see cref="SpecValidator.Validate"/>) with every field set.
    /// <paramref name="randomSeed"/> supplies a seed when none is given.</summary>
    public static RunSpec Resolve(RunSpec spec, Dataset data, Func<long>? randomSeed = null)
    {
        var gen = SyntheticDatasets.Find(data.Name);
        var d = spec.Dataset ?? new DatasetSpec();
        string loss = spec.Loss ?? (data.IsClassification ? "cross_entropy" : "mse");
        var m = spec.Model ?? new ModelSpec();
        var o = spec.Optimizer ?? new OptimizerSpec();
        string type = o.Type ?? Optimizer;
        bool gradientFree = SpecVocabulary.IsGradientFree(type);
        var es = spec.EarlyStopping;

        return new RunSpec
        {
            Name = spec.Name ?? $"{type} on {data.Name}",
            Tags = spec.Tags ?? [],
            Dataset = new DatasetSpec
            {
                Name = data.Name,
                Samples = gen is null ? d.Samples : d.Samples ?? data.Count,
                Noise = gen is null ? d.Noise : d.Noise ?? gen.DefaultNoise,
                ValidationFraction = d.ValidationFraction ?? ValidationFraction,
                TestFraction = d.TestFraction ?? TestFraction,
                Shuffle = d.Shuffle ?? Shuffle,
                Standardize = d.Standardize ?? Standardize,
            },
            Model = new ModelSpec
            {
                // model.layers replaces the MLP shorthand; an MLP spec is filled in exactly as before.
                Layers = m.Layers is null ? null : [.. m.Layers.Select(CopyLayer)],
                Hidden = m.Layers is null ? m.Hidden ?? [.. Hidden] : m.Hidden,
                Activation = m.Layers is null ? m.Activation ?? Activation : m.Activation,
                OutputActivation = m.OutputActivation ?? Loss.RequiredOutputActivation(loss) ?? "identity",
                Init = m.Init ?? Init,
            },
            Loss = loss,
            Optimizer = ResolveOptimizer(o, type),
            // Gradient-free runs have no gradient source and nothing to check.
            Gradient = gradientFree ? null : spec.Gradient ?? Gradient,
            BatchSize = spec.BatchSize ?? BatchSize,
            Epochs = spec.Epochs ?? Epochs,
            Seed = spec.Seed ?? (randomSeed ?? DefaultRandomSeed)(),
            EarlyStopping = es is null ? null : new EarlyStoppingSpec
            {
                Patience = es.Patience ?? EarlyStoppingPatience,
                MinDelta = es.MinDelta ?? Default<double>("earlyStopping.minDelta"),
                RestoreBestWeights = es.RestoreBestWeights ?? Default<bool>("earlyStopping.restoreBestWeights"),
            },
            GradientCheck = gradientFree ? null : spec.GradientCheck ?? Default<bool>("gradientCheck"),
        };
    }

    /// <summary>A layer with its kind's defaults (conv2d's stride 1 and padding 0, a pool's stride its kernel).</summary>
    private static LayerSpec CopyLayer(LayerSpec l)
    {
        var copy = l.With();
        return SpecVocabulary.Layer(l.Type)?.WithDefaults(copy) ?? copy;
    }

    /// <summary>The chosen optimizer's fields (and, for gradient descent, its schedule's), each as given or its default.</summary>
    private static OptimizerSpec ResolveOptimizer(OptimizerSpec o, string type)
    {
        var entry = SpecVocabulary.Optimizer(type) ?? throw new SpecException("optimizer.type", $"unknown optimizer '{type}'");
        var r = new OptimizerSpec { Type = type };
        Fill(entry, o, r);
        if (entry is SearchEntry) return r;
        var s = o.Schedule ?? new ScheduleSpec();
        string scheduleType = s.Type ?? Schedule;
        r.Schedule = new ScheduleSpec { Type = scheduleType };
        Fill(SpecVocabulary.Schedule(scheduleType) ?? throw new SpecException("optimizer.schedule.type", $"unknown schedule '{scheduleType}'"), s, r.Schedule);
        return r;
    }

    private static void Fill<T>(Entry entry, T given, T resolved) where T : class
    {
        foreach (var f in entry.Fields)
            SpecProperties<T>.Put(resolved, f.Name, SpecProperties<T>.Get(given, f.Name) ?? f.Default);
    }

    private static T Default<T>(string path) => (T)SpecVocabulary.RunField(path).Default!;

    private static long DefaultRandomSeed() => Random.Shared.NextInt64(0, 1L << 31);
}
