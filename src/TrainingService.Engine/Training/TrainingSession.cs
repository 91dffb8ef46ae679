using TrainingService.Engine.Activations;
using TrainingService.Engine.Data;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Losses;
using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Search;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Training;

/// <summary>
/// One run: the filled-in spec, its data splits, network, loss, optimizer and schedule, and the position
/// reached. <see cref="Create(RunSpec, string, SpecLimits?, Func{long}?)"/> validates everything up front;
/// <see cref="Run"/> trains (see TrainingSession.Loop.cs); checkpoints capture and restore the state.
/// </summary>
public sealed partial class TrainingSession
{
    private readonly Rng _batchRng;
    private readonly LearningRateSchedule _schedule;
    private double _earlyStopBest = double.PositiveInfinity;
    private int _earlyStopBadEpochs;
    // The best validation epoch so far, its metrics and (with restoreBestWeights) its weights: part of a checkpoint.
    private int? _bestEpoch;
    private EpochMetrics? _bestEpochMetrics;
    private float[]? _bestParameters;
    private double _trainSeconds;
    private long _samplesSeen;
    private long _lossEvaluations;
    private EpochMetrics? _lastEpoch;

    private TrainingSession(RunSpec spec, Dataset data, DatasetSplit split, Standardizer? standardizer)
    {
        Spec = spec;
        DatasetName = data.Name;
        FeatureNames = data.FeatureNames;
        ClassNames = data.ClassNames ?? (data.IsClassification ? Enumerable.Range(0, data.Classes).Select(i => i.ToString()).ToArray() : null);
        Standardizer = standardizer;
        Loss = Losses.Loss.Create(spec.Loss!);
        int outputs = SpecDefaults.OutputSize(spec.Loss!, data);
        var sizes = new List<int> { data.Features };
        sizes.AddRange(spec.Model!.Hidden!);
        sizes.Add(outputs);
        var activations = new IActivation[sizes.Count - 1];
        for (int l = 0; l < activations.Length; l++)
            activations[l] = Activation.Create(l == activations.Length - 1 ? spec.Model.OutputActivation! : spec.Model.Activation!);
        Network = new Network(sizes, activations);
        Network.Initialize(spec.Model.Init!, Rng.ForStream(spec.Seed!.Value, "init"));
        Surface = Landscape.Surfaces.Find(data.Name);
        int tw = Loss.TargetWidth(outputs);
        Train = EncodedSplit.Encode(split.Train, tw, outputs);
        Validation = EncodedSplit.Encode(split.Validation, tw, outputs);
        Test = EncodedSplit.Encode(split.Test, tw, outputs);
        if (SpecNames.IsGradientFree(spec.Optimizer!.Type))
        {
            Search = SearchFactory.Create(spec, Network);
            _schedule = new LearningRateSchedule(new ScheduleSpec { Type = "constant" }, Search.StepScale, spec.Epochs!.Value);
        }
        else
        {
            Optimizer = OptimizerFactory.Create(spec.Optimizer);
            _schedule = new LearningRateSchedule(spec.Optimizer.Schedule!, Optimizer.LearningRate, spec.Epochs!.Value);
        }
        _batchRng = Rng.ForStream(spec.Seed.Value, "batches");
        BatchSize = spec.BatchSize == 0 ? Train.Count : Math.Min(spec.BatchSize!.Value, Train.Count);
        StepsPerEpoch = (Train.Count + BatchSize - 1) / BatchSize;
    }

    /// <summary>The spec with every default filled in.</summary>
    public RunSpec Spec { get; }
    public string DatasetName { get; }
    public string[]? FeatureNames { get; }
    public string[]? ClassNames { get; }
    public Standardizer? Standardizer { get; }
    public Network Network { get; }
    public ILoss Loss { get; }
    /// <summary>The gradient-descent optimizer, or null for a gradient-free run.</summary>
    public Optimizer? Optimizer { get; }
    /// <summary>The gradient-free trainer, or null for a gradient-descent run.</summary>
    public GradientFreeTrainer? Search { get; }
    /// <summary>The test surface f(w, b) this run descends instead of a dataset's loss, or null.</summary>
    public Landscape.Surface? Surface { get; }
    public EncodedSplit Train { get; }
    public EncodedSplit Validation { get; }
    public EncodedSplit Test { get; }
    public int BatchSize { get; }
    public int StepsPerEpoch { get; }
    public long TotalSteps => (long)StepsPerEpoch * Spec.Epochs!.Value;
    /// <summary>Epochs completed.</summary>
    public int Epoch { get; private set; }
    /// <summary>Optimizer steps taken.</summary>
    public long Step { get; private set; }

    /// <summary>Validates <paramref name="spec"/>, loads its dataset from <paramref name="dataDirectory"/> and builds the run.</summary>
    /// <exception cref="SpecException">every problem found, with its JSON path</exception>
    public static TrainingSession Create(RunSpec spec, string dataDirectory, SpecLimits? limits = null, Func<long>? randomSeed = null) =>
        Create(spec, Load(spec, dataDirectory, limits), limits, randomSeed);

    /// <summary>The spec's static checks, then its dataset.</summary>
    private static Dataset Load(RunSpec spec, string dataDirectory, SpecLimits? limits)
    {
        var errors = SpecValidator.Validate(spec, limits);
        if (errors.Count > 0) throw new SpecException(errors);
        try
        {
            var d = spec.Dataset;
            return DatasetCatalog.Load(SpecDefaults.DatasetName(spec), d?.Samples, d?.Noise, spec.Seed ?? 0, dataDirectory);
        }
        catch (Exception ex) when (ex is ArgumentException or DataFormatException or IOException)
        {
            throw new SpecException("dataset.name", ex.Message);
        }
    }

    /// <summary>The filled-in spec, checked statically and against <paramref name="data"/> (sizes, limits, estimated cost).</summary>
    private static RunSpec Resolve(RunSpec spec, Dataset data, SpecLimits? limits, Func<long>? randomSeed)
    {
        var errors = SpecValidator.Validate(spec, limits);
        if (errors.Count > 0) throw new SpecException(errors);
        var resolved = SpecDefaults.Resolve(spec, data, randomSeed);
        errors = SpecValidator.ValidateResolved(resolved, data, limits);
        if (errors.Count > 0) throw new SpecException(errors);
        return resolved;
    }

    /// <summary>
    /// Validates <paramref name="spec"/> exactly as <see cref="Create(RunSpec, string, SpecLimits?, Func{long}?)"/> does
    /// (its dataset loaded to check it) and returns what a queued run records, without building the network, the
    /// splits or the optimizer: a submission costs its validation, not the run's memory.
    /// </summary>
    /// <exception cref="SpecException">every problem found, with its JSON path</exception>
    public static RunPlan Plan(RunSpec spec, string dataDirectory, SpecLimits? limits = null, Func<long>? randomSeed = null)
    {
        var data = Load(spec, dataDirectory, limits);
        var resolved = Resolve(spec, data, limits, randomSeed);
        if (!SpecNames.IsGradientFree(resolved.Optimizer!.Type))
        {
            // The constructors that check hyperparameters, as the session's would (both cost nothing until a step).
            var optimizer = OptimizerFactory.Create(resolved.Optimizer);
            _ = new LearningRateSchedule(resolved.Optimizer.Schedule!, optimizer.LearningRate, resolved.Epochs!.Value);
        }
        int trainRows = RunCost.TrainRows(resolved, data.Count);
        int batch = resolved.BatchSize == 0 ? trainRows : Math.Min(resolved.BatchSize!.Value, trainRows);
        return new RunPlan(resolved, (long)((trainRows + batch - 1) / batch) * resolved.Epochs!.Value);
    }

    /// <summary>Builds the run on an already loaded dataset.</summary>
    public static TrainingSession Create(RunSpec spec, Dataset data, SpecLimits? limits = null, Func<long>? randomSeed = null)
    {
        var resolved = Resolve(spec, data, limits, randomSeed);
        var ds = resolved.Dataset!;
        var split = DatasetSplitter.Split(data, ds.ValidationFraction!.Value, ds.TestFraction!.Value, ds.Shuffle!.Value, resolved.Seed!.Value);
        Standardizer? standardizer = null;
        if (ds.Standardize == true)
        {
            standardizer = Standardizer.Fit(split.Train);
            split = new DatasetSplit(standardizer.Apply(split.Train), standardizer.Apply(split.Validation), standardizer.Apply(split.Test));
        }
        return new TrainingSession(resolved, data, split, standardizer);
    }

    /// <summary>The state at the current epoch boundary.</summary>
    public Checkpoint CreateCheckpoint() => new()
    {
        Epoch = Epoch,
        Step = Step,
        Parameters = Network.GetFlatParameters(),
        Optimizer = Optimizer?.ExportState(),
        Search = Search?.ExportState(),
        RngState = _batchRng.GetState(),
        ScheduleCurrent = _schedule.Current,
        ScheduleBest = _schedule.Best,
        ScheduleBadEpochs = _schedule.BadEpochs,
        EarlyStopBest = _earlyStopBest,
        EarlyStopBadEpochs = _earlyStopBadEpochs,
        BestEpoch = _bestEpoch,
        BestEpochMetrics = _bestEpochMetrics,
        BestParameters = (float[]?)_bestParameters?.Clone(),
        TrainSeconds = _trainSeconds,
        SamplesSeen = _samplesSeen,
        LossEvaluations = _lossEvaluations,
        LastEpoch = _lastEpoch,
    };

    /// <summary>Continues from <paramref name="c"/>, taken from a session built from the same spec.</summary>
    public void Restore(Checkpoint c)
    {
        if (c.Parameters.Length != Network.ParameterCount)
            throw new ArgumentException($"checkpoint holds {c.Parameters.Length} parameters, this network has {Network.ParameterCount}", nameof(c));
        Network.SetFlatParameters(c.Parameters);
        if (c.Optimizer is not null) Optimizer?.ImportState(c.Optimizer);
        if (c.Search is not null) Search?.ImportState(c.Search);
        _batchRng.SetState(c.RngState);
        _schedule.Restore(c.ScheduleCurrent, c.ScheduleBest, c.ScheduleBadEpochs);
        (_earlyStopBest, _earlyStopBadEpochs) = (c.EarlyStopBest, c.EarlyStopBadEpochs);
        (_bestEpoch, _bestEpochMetrics, _bestParameters) = (c.BestEpoch, c.BestEpochMetrics, (float[]?)c.BestParameters?.Clone());
        (_trainSeconds, _samplesSeen, _lossEvaluations, _lastEpoch) = (c.TrainSeconds, c.SamplesSeen, c.LossEvaluations, c.LastEpoch);
        (Epoch, Step) = (c.Epoch, c.Step);
    }
}
