using TrainingService.Engine.Data;
using TrainingService.Engine.Losses;

namespace TrainingService.Engine.Training;

/// <summary>Fills every unset field of a spec; the result is what a run reports and what reproduces it.</summary>
public static class SpecDefaults
{
    public const string Dataset = "spiral";
    public const double ValidationFraction = 0.15;
    public const double TestFraction = 0.15;
    public const int BatchSize = 32;
    public const int Epochs = 20;
    public static readonly int[] Hidden = [16, 16];
    public const int PopulationSize = 50;

    /// <summary>The dataset name a spec asks for.</summary>
    public static string DatasetName(RunSpec spec) => spec.Dataset?.Name ?? Dataset;

    /// <summary>Output units: classes for cross_entropy (and bce/mse/l1 with one-hot targets), 1 for binary bce, else the target width.</summary>
    public static int OutputSize(string loss, Dataset data) =>
        !data.IsClassification ? data.TargetWidth
        : loss == "bce" && data.Classes == 2 ? 1
        : data.Classes;

    /// <summary>A copy of <paramref name="spec"/> with every field set. <paramref name="randomSeed"/> supplies a seed when none is given.</summary>
    public static RunSpec Resolve(RunSpec spec, Dataset data, Func<long>? randomSeed = null)
    {
        var gen = SyntheticDatasets.Find(data.Name);
        var d = spec.Dataset ?? new DatasetSpec();
        string loss = spec.Loss ?? (data.IsClassification ? "cross_entropy" : "mse");
        var m = spec.Model ?? new ModelSpec();
        var o = spec.Optimizer ?? new OptimizerSpec();
        string type = o.Type ?? "adam";
        bool usesMomentum = type is "momentum" or "nesterov";
        bool adamLike = type is "adam" or "adamw";
        var s = o.Schedule ?? new ScheduleSpec();
        string scheduleType = s.Type ?? "constant";
        double lr = o.LearningRate ?? OptimizerFactory.DefaultLearningRate(type);
        if (SpecNames.IsGradientFree(type)) return ResolveGradientFree(spec, data, loss, randomSeed);

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
                Shuffle = d.Shuffle ?? true,
                Standardize = d.Standardize ?? false,
            },
            Model = new ModelSpec
            {
                Hidden = m.Hidden ?? [.. Hidden],
                Activation = m.Activation ?? "relu",
                OutputActivation = m.OutputActivation ?? Loss.RequiredOutputActivation(loss) ?? "identity",
                Init = m.Init ?? "default",
            },
            Loss = loss,
            Optimizer = new OptimizerSpec
            {
                Type = type,
                LearningRate = lr,
                Momentum = usesMomentum ? o.Momentum ?? 0.9 : o.Momentum,
                Beta1 = adamLike ? o.Beta1 ?? 0.9 : o.Beta1,
                Beta2 = adamLike ? o.Beta2 ?? 0.999 : o.Beta2,
                Epsilon = type is "sgd" or "momentum" or "nesterov" ? o.Epsilon : o.Epsilon ?? OptimizerFactory.DefaultEpsilon(type),
                Rho = type == "adadelta" ? o.Rho ?? 0.9 : o.Rho,
                Alpha = type == "rmsprop" ? o.Alpha ?? 0.99 : o.Alpha,
                WeightDecay = o.WeightDecay ?? (type == "adamw" ? 0.01 : 0.0),
                ClipNorm = o.ClipNorm ?? 0,
                Schedule = new ScheduleSpec
                {
                    Type = scheduleType,
                    StepSize = scheduleType == "step" ? s.StepSize ?? 10 : s.StepSize,
                    Gamma = scheduleType is "step" or "exponential" ? s.Gamma ?? (scheduleType == "step" ? 0.1 : 0.95) : s.Gamma,
                    MinLearningRate = scheduleType == "cosine" ? s.MinLearningRate ?? 0 : s.MinLearningRate,
                    Factor = scheduleType == "reduce_on_plateau" ? s.Factor ?? 0.1 : s.Factor,
                    Patience = scheduleType == "reduce_on_plateau" ? s.Patience ?? 10 : s.Patience,
                },
            },
            Gradient = spec.Gradient ?? "backprop",
            BatchSize = spec.BatchSize ?? BatchSize,
            Epochs = spec.Epochs ?? Epochs,
            Seed = spec.Seed ?? (randomSeed ?? DefaultRandomSeed)(),
            EarlyStopping = spec.EarlyStopping is null ? null : new EarlyStoppingSpec
            {
                Patience = spec.EarlyStopping.Patience ?? 10,
                MinDelta = spec.EarlyStopping.MinDelta ?? 0,
                RestoreBestWeights = spec.EarlyStopping.RestoreBestWeights ?? true,
            },
            GradientCheck = spec.GradientCheck ?? false,
        };
    }

    /// <summary>Gradient-free runs have no learning rate, schedule, clipping or gradient source; they have σ and their own knobs.</summary>
    private static RunSpec ResolveGradientFree(RunSpec spec, Dataset data, string loss, Func<long>? randomSeed)
    {
        var o = spec.Optimizer!;
        var r = Resolve(new RunSpec
        {
            Name = spec.Name, Tags = spec.Tags, Dataset = spec.Dataset, Model = spec.Model, Loss = loss,
            Optimizer = new OptimizerSpec { Type = "sgd" }, BatchSize = spec.BatchSize, Epochs = spec.Epochs,
            Seed = spec.Seed, EarlyStopping = spec.EarlyStopping,
        }, data, randomSeed);
        string type = o.Type!;
        r.Name = spec.Name ?? $"{type} on {data.Name}";
        r.Gradient = null;
        r.GradientCheck = null;
        r.Optimizer = new OptimizerSpec
        {
            Type = type,
            StepSize = o.StepSize ?? 0.1,
            Candidates = type == "random_search" ? o.Candidates ?? 10 : o.Candidates,
            Sampling = type == "random_search" ? o.Sampling ?? "init" : o.Sampling,
            PopulationSize = type == "genetic" ? o.PopulationSize ?? PopulationSize : o.PopulationSize,
            MutationRate = type == "genetic" ? o.MutationRate ?? 0.05 : o.MutationRate,
            CrossoverRate = type == "genetic" ? o.CrossoverRate ?? 0.9 : o.CrossoverRate,
            Elitism = type == "genetic" ? o.Elitism ?? 2 : o.Elitism,
            TournamentSize = type == "genetic" ? o.TournamentSize ?? 3 : o.TournamentSize,
        };
        return r;
    }

    private static long DefaultRandomSeed() => Random.Shared.NextInt64(0, 1L << 31);
}
