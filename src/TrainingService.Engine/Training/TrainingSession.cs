using TrainingService.Engine.TestFunctions;
using TrainingService.Engine.Activations;
using TrainingService.Engine.Data;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Losses;
using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Search;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training.Steppers;

namespace TrainingService.Engine.Training;

/// <summary>
/// One run: the filled-in spec, its data splits (or the test surface it descends), network, loss, the stepper of its
/// training mode and the schedule, and the position reached (<see cref="SessionState"/>).
/// <see cref="Create(RunSpec, string, SpecLimits?, Func{long}?)"/> validates everything up front; <see cref="Run"/>
/// trains (see TrainingSession.Loop.cs); checkpoints are the weights and the state.
/// </summary>
public sealed partial class TrainingSession
{
    private readonly Rng _batchRng;
    private readonly LearningRateSchedule _schedule;
    /// <summary>The learning-rate finder's record, when the schedule is range_test.</summary>
    private readonly RangeTest? _range;
    private SessionState _state = new();

    private TrainingSession(RunSpec spec, Dataset data, DatasetSplit split, Standardizer? standardizer, Surface? surface)
    {
        Spec = spec;
        DatasetName = data.Name;
        FeatureNames = data.FeatureNames;
        ClassNames = data.ClassNames ?? (data.IsClassification ? Enumerable.Range(0, data.Classes).Select(i => i.ToString()).ToArray() : null);
        Standardizer = standardizer;
        Surface = surface;
        Loss = Losses.Loss.Create(spec.Loss!);
        int outputs = SpecDefaults.OutputSize(spec.Loss!, data);
        Network = spec.Model!.Layers is { } layers
            ? new Network(LayerStack.Build(data.Shape, layers, outputs, Activation.Create(spec.Model.OutputActivation!), spec.Seed!.Value))
            : Perceptron(spec.Model, data.Features, outputs);
        Network.Initialize(spec.Model.Init!, Rng.ForStream(spec.Seed!.Value, "init"));
        int tw = Loss.TargetWidth(outputs);
        Train = EncodedSplit.Encode(split.Train, tw, outputs);
        Validation = EncodedSplit.Encode(split.Validation, tw, outputs);
        Test = EncodedSplit.Encode(split.Test, tw, outputs);
        _batchRng = Rng.ForStream(spec.Seed.Value, "batches");
        BatchSize = spec.BatchSize == 0 ? Train.Count : Math.Min(spec.BatchSize!.Value, Train.Count);
        StepsPerEpoch = (Train.Count + BatchSize - 1) / BatchSize;

        Stepper = StepperFactory.For(spec, Network, Loss, surface, BatchSize);
        // A search keeps its own σ: its "schedule" is constant, there only so every run reports a rate per epoch.
        var schedule = Search is null ? spec.Optimizer!.Schedule! : new ScheduleSpec { Type = "constant" };
        _schedule = new LearningRateSchedule(schedule, Stepper.Rate, spec.Epochs!.Value);
        _range = _schedule.IsRangeTest ? new RangeTest(_schedule) : null;
    }

    /// <summary>The <c>model.hidden</c> + <c>activation</c> shorthand: dense layers, the output layer last.</summary>
    private static Network Perceptron(ModelSpec model, int features, int outputs)
    {
        var sizes = new List<int> { features };
        sizes.AddRange(model.Hidden!);
        sizes.Add(outputs);
        var activations = new IActivation[sizes.Count - 1];
        for (int l = 0; l < activations.Length; l++)
            activations[l] = Activation.Create(l == activations.Length - 1 ? model.OutputActivation! : model.Activation!);
        return new Network(sizes, activations);
    }

    /// <summary>The spec with every default filled in.</summary>
    public RunSpec Spec { get; }
    public string DatasetName { get; }
    public string[]? FeatureNames { get; }
    public string[]? ClassNames { get; }
    public Standardizer? Standardizer { get; }
    public Network Network { get; }
    public ILoss Loss { get; }
    /// <summary>The training mode's step: backprop, numerical gradients, a search or a surface's exact gradient.</summary>
    public IStepper Stepper { get; }
    /// <summary>The gradient-descent optimizer, or null for a gradient-free run.</summary>
    public Optimizer? Optimizer => (Stepper as GradientStepper)?.Optimizer;
    /// <summary>The gradient-free trainer, or null for a gradient-descent run.</summary>
    public GradientFreeTrainer? Search => (Stepper as SearchStepper)?.Trainer;
    /// <summary>The test surface f(w, b) this run descends instead of a dataset's loss, or null.</summary>
    public Surface? Surface { get; }
    public EncodedSplit Train { get; }
    public EncodedSplit Validation { get; }
    public EncodedSplit Test { get; }
    public int BatchSize { get; }
    public int StepsPerEpoch { get; }
    public long TotalSteps => _range is not null ? _schedule.RangeSteps : (long)StepsPerEpoch * Spec.Epochs!.Value;
    /// <summary>Epochs completed.</summary>
    public int Epoch => _state.Epoch;
    /// <summary>Optimizer steps taken.</summary>
    public long Step => _state.Step;

    /// <summary>Validates <paramref name="spec"/>, loads its dataset from <paramref name="dataDirectory"/> and builds the run.</summary>
    /// <exception cref="SpecException">every problem found, with its JSON path</exception>
    public static TrainingSession Create(RunSpec spec, string dataDirectory, SpecLimits? limits = null, Func<long>? randomSeed = null)
    {
        var (data, surface) = Load(spec, dataDirectory, limits);
        return Create(spec, data, surface, limits, randomSeed);
    }

    /// <summary>
    /// The spec's static checks, then what it trains on. A <c>dataset.name</c> naming a test surface
    /// (<see cref="Surfaces"/>; the spec shape surface runs have always had) is that surface's objective and never
    /// reaches the catalog; any other name is a dataset from <see cref="DatasetCatalog"/>, where a CSV that shares a
    /// surface's name is loaded as NAME.csv.
    /// </summary>
    private static (Dataset Data, Surface? Surface) Load(RunSpec spec, string dataDirectory, SpecLimits? limits)
    {
        var errors = SpecValidator.Validate(spec, limits);
        if (errors.Count > 0) throw new SpecException(errors);
        string name = SpecDefaults.DatasetName(spec);
        if (Surfaces.Find(name) is { } surface) return (surface.Input, surface);
        try
        {
            var d = spec.Dataset;
            return (DatasetCatalog.Load(name, d?.Samples, d?.Noise, spec.Seed ?? 0, dataDirectory, Surfaces.All.Select(x => x.Name)), null);
        }
        catch (Exception ex) when (ex is ArgumentException or DataFormatException or IOException)
        {
            throw new SpecException("dataset.name", ex.Message);
        }
    }

    /// <summary>The filled-in spec, checked statically and against <paramref name="data"/> (sizes, limits, estimated cost).</summary>
    private static RunSpec Resolve(RunSpec spec, Dataset data, Surface? surface, SpecLimits? limits, Func<long>? randomSeed)
    {
        var errors = SpecValidator.Validate(spec, limits);
        if (errors.Count > 0) throw new SpecException(errors);
        var resolved = SpecDefaults.Resolve(spec, data, randomSeed);
        // A CSV named like a surface (uploads/rosenbrock.csv) keeps the name that loads it: the filled-in spec, which
        // a resumed or rebuilt run reads, must not turn it into the surface.
        if (surface is null && Surfaces.Find(resolved.Dataset!.Name!) is not null) resolved.Dataset.Name = SpecDefaults.DatasetName(spec);
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
    public static RunPlan Plan(RunSpec spec, string dataDirectory, SpecLimits? limits = null, Func<long>? randomSeed = null) =>
        Plan(spec, LoadData(spec, dataDirectory, limits), limits, randomSeed);

    /// <summary>What a spec trains on, checked and loaded once, for planning several specs that differ only in fields the
    /// data does not depend on (a sweep's values other than the seed and the dataset's name, samples and noise).</summary>
    public sealed record LoadedData(Dataset Data, Surface? Surface);

    /// <summary>The spec's static checks, then its dataset (or surface) loaded: see <see cref="Plan(RunSpec, LoadedData, SpecLimits?, Func{long}?)"/>.</summary>
    /// <exception cref="SpecException">every problem found, with its JSON path</exception>
    public static LoadedData LoadData(RunSpec spec, string dataDirectory, SpecLimits? limits = null)
    {
        var (data, surface) = Load(spec, dataDirectory, limits);
        return new LoadedData(data, surface);
    }

    /// <summary>As <see cref="Plan(RunSpec, string, SpecLimits?, Func{long}?)"/> on data already loaded for a spec
    /// whose seed and dataset fields are <paramref name="spec"/>'s.</summary>
    /// <exception cref="SpecException">every problem found, with its JSON path</exception>
    public static RunPlan Plan(RunSpec spec, LoadedData loaded, SpecLimits? limits = null, Func<long>? randomSeed = null)
    {
        var (data, surface) = loaded;
        var resolved = Resolve(spec, data, surface, limits, randomSeed);
        if (!SpecNames.IsGradientFree(resolved.Optimizer!.Type))
        {
            // The constructors that check hyperparameters, as the session's would (both cost nothing until a step).
            var optimizer = OptimizerFactory.Create(resolved.Optimizer);
            _ = new LearningRateSchedule(resolved.Optimizer.Schedule!, optimizer.LearningRate, resolved.Epochs!.Value);
        }
        int trainRows = RunCost.TrainRows(resolved, data.Count);
        int batch = resolved.BatchSize == 0 ? trainRows : Math.Min(resolved.BatchSize!.Value, trainRows);
        // A range test takes its steps (fewer if the loss explodes), whatever epochs says.
        return new RunPlan(resolved, resolved.Optimizer!.Schedule is { Type: LearningRateSchedule.RangeTestType, Steps: { } steps }
            ? steps : (long)((trainRows + batch - 1) / batch) * resolved.Epochs!.Value);
    }

    /// <summary>Builds the run on an already loaded dataset; a spec naming a test surface descends that surface instead.</summary>
    public static TrainingSession Create(RunSpec spec, Dataset data, SpecLimits? limits = null, Func<long>? randomSeed = null)
    {
        var surface = Surfaces.Find(SpecDefaults.DatasetName(spec));
        return Create(spec, surface?.Input ?? data, surface, limits, randomSeed);
    }

    private static TrainingSession Create(RunSpec spec, Dataset data, Surface? surface, SpecLimits? limits, Func<long>? randomSeed)
    {
        var resolved = Resolve(spec, data, surface, limits, randomSeed);
        var ds = resolved.Dataset!;
        var split = DatasetSplitter.Split(data, ds.ValidationFraction!.Value, ds.TestFraction!.Value, ds.Shuffle!.Value, resolved.Seed!.Value);
        Standardizer? standardizer = null;
        if (ds.Standardize == true)
        {
            standardizer = Standardizer.Fit(split.Train);
            split = new DatasetSplit(standardizer.Apply(split.Train), standardizer.Apply(split.Validation), standardizer.Apply(split.Test));
        }
        return new TrainingSession(resolved, data, split, standardizer, surface);
    }

    /// <summary>The weights and the state at the current epoch boundary.</summary>
    public Checkpoint CreateCheckpoint()
    {
        // The parts that live in their objects: the batch order, the schedule, the optimizer's or search's state.
        _state.RngState = _batchRng.GetState();
        _state.LayerRngStates = [.. Network.Layers.OfType<Dropout>().Select(d => d.Stream.GetState())];
        _state.Schedule = _schedule.State;
        _state.RangeLosses = _range?.Snapshot();
        Stepper.SaveTo(_state);
        return new Checkpoint(Network.GetFlatParameters(), _state.Clone());
    }

    /// <summary>Continues from <paramref name="c"/>, taken from a session built from the same spec.</summary>
    public void Restore(Checkpoint c)
    {
        if (c.Parameters.Length != Network.ParameterCount)
            throw new ArgumentException($"checkpoint holds {c.Parameters.Length} parameters, this network has {Network.ParameterCount}", nameof(c));
        Network.SetFlatParameters(c.Parameters);
        _batchRng.SetState(c.State.RngState);
        var dropouts = Network.Layers.OfType<Dropout>().ToArray();
        if (c.State.LayerRngStates.Length != dropouts.Length)
            throw new ArgumentException($"checkpoint holds {c.State.LayerRngStates.Length} dropout streams, this network has {dropouts.Length} dropout layers", nameof(c));
        for (int l = 0; l < dropouts.Length; l++) dropouts[l].Stream.SetState(c.State.LayerRngStates[l]);
        _schedule.Restore(c.State.Schedule);
        _state = c.State.Clone();
        _range?.Restore(_state.RangeLosses);
        Stepper.LoadFrom(_state);
    }
}
