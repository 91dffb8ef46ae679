using TrainingService.Engine.Layers;
namespace TrainingService.Engine.Training;

/// <summary>
/// A training job as users write it (JSON, camelCase). Every field is optional; <see cref="SpecDefaults"/>
/// fills the gaps and the filled spec is what a run reports back, so a run can always be reproduced.
/// </summary>
public sealed class RunSpec
{
    public string? Name { get; set; }
    public List<string>? Tags { get; set; }
    public DatasetSpec? Dataset { get; set; }
    public ModelSpec? Model { get; set; }
    /// <summary>A loss (<see cref="SpecVocabulary.Losses"/>).</summary>
    public string? Loss { get; set; }
    public OptimizerSpec? Optimizer { get; set; }
    /// <summary>Where gradients come from (<see cref="SpecVocabulary.Gradients"/>: backprop, or central differences).</summary>
    public string? Gradient { get; set; }
    /// <summary>Rows per step; 0 = the whole training set (full-batch gradient descent), 1 = per-sample SGD.</summary>
    public int? BatchSize { get; set; }
    public int? Epochs { get; set; }
    public long? Seed { get; set; }
    public EarlyStoppingSpec? EarlyStopping { get; set; }
    /// <summary>Compare backprop with central differences on the first batch and report the error per layer.</summary>
    public bool? GradientCheck { get; set; }
}

public sealed class DatasetSpec
{
    /// <summary>A generator (xor, circles, moons, spiral, blobs, linear, sine), mnist, or a CSV file's name.</summary>
    public string? Name { get; set; }
    /// <summary>Generated rows (synthetic datasets only).</summary>
    public int? Samples { get; set; }
    /// <summary>Generator noise (synthetic datasets only).</summary>
    public double? Noise { get; set; }
    public double? ValidationFraction { get; set; }
    public double? TestFraction { get; set; }
    public bool? Shuffle { get; set; }
    /// <summary>Scale features to zero mean and unit variance using the training split's statistics.</summary>
    public bool? Standardize { get; set; }
}

public sealed class ModelSpec
{
    /// <summary>The network as a list of layers (<see cref="SpecVocabulary.Layers"/>), before the output layer; instead of
    /// <see cref="Hidden"/> and <see cref="Activation"/>.</summary>
    public List<LayerSpec>? Layers { get; set; }
    public List<int>? Hidden { get; set; }
    /// <summary>Hidden-layer activation (<see cref="SpecVocabulary.Activations"/> but softmax).</summary>
    public string? Activation { get; set; }
    /// <summary>Output activation; softmax for cross_entropy and sigmoid for bce are implied.</summary>
    public string? OutputActivation { get; set; }
    /// <summary>Weight init scheme (<see cref="SpecVocabulary.Inits"/>).</summary>
    public string? Init { get; set; }
}

public sealed class OptimizerSpec
{
    /// <summary>An optimizer (<see cref="SpecVocabulary.Optimizers"/>, with the fields each takes; a field it does not take is refused).</summary>
    public string? Type { get; set; }
    public double? LearningRate { get; set; }
    /// <summary>μ for momentum and nesterov; on sgd, PyTorch's meaning: momentum &gt; 0 trains as the momentum type.</summary>
    public double? Momentum { get; set; }
    /// <summary>sgd only, PyTorch's SGD(nesterov=True): trains as the nesterov type (needs momentum &gt; 0).</summary>
    public bool? Nesterov { get; set; }
    public double? Beta1 { get; set; }
    public double? Beta2 { get; set; }
    public double? Epsilon { get; set; }
    /// <summary>Adadelta's decay.</summary>
    public double? Rho { get; set; }
    /// <summary>RMSprop's decay.</summary>
    public double? Alpha { get; set; }
    public double? WeightDecay { get; set; }
    /// <summary>Clip the global gradient L2 norm to this value before the update (0 = off).</summary>
    public double? ClipNorm { get; set; }
    public ScheduleSpec? Schedule { get; set; }

    // Gradient-free methods (random_search, hill_climbing, genetic).
    /// <summary>σ: the standard deviation of perturbations (local random search, hill climbing's initial step, genetic mutation).</summary>
    public double? StepSize { get; set; }
    /// <summary>random_search: candidates sampled per step.</summary>
    public int? Candidates { get; set; }
    /// <summary>random_search: "init" samples fresh weights from the initializer; "local" perturbs the best so far.</summary>
    public string? Sampling { get; set; }
    /// <summary>genetic: individuals per generation.</summary>
    public int? PopulationSize { get; set; }
    /// <summary>genetic: probability that a gene (one weight) is mutated.</summary>
    public double? MutationRate { get; set; }
    /// <summary>genetic: probability that a child is a uniform crossover of two parents rather than a copy of one.</summary>
    public double? CrossoverRate { get; set; }
    /// <summary>genetic: best individuals copied unchanged into the next generation.</summary>
    public int? Elitism { get; set; }
    /// <summary>genetic: individuals per selection tournament.</summary>
    public int? TournamentSize { get; set; }
}

/// <summary>Learning-rate schedule, stepped once per epoch (as PyTorch's lr_scheduler).</summary>
public sealed class ScheduleSpec
{
    /// <summary>A schedule (<see cref="SpecVocabulary.Schedules"/>, with the fields each takes).</summary>
    public string? Type { get; set; }
    /// <summary>step: epochs between decays.</summary>
    public int? StepSize { get; set; }
    /// <summary>step, exponential: multiplicative decay.</summary>
    public double? Gamma { get; set; }
    /// <summary>cosine: the floor (η_min); range_test: the first step's rate.</summary>
    public double? MinLearningRate { get; set; }
    /// <summary>range_test: the rate at the last step.</summary>
    public double? MaxLearningRate { get; set; }
    /// <summary>range_test: the steps the rate takes from min to max (the run stops there, or when the loss explodes).</summary>
    public int? Steps { get; set; }
    /// <summary>reduce_on_plateau: multiplicative decay when the monitored loss stalls.</summary>
    public double? Factor { get; set; }
    /// <summary>reduce_on_plateau: epochs without improvement before decaying.</summary>
    public int? Patience { get; set; }
}

/// <summary>Stop when the validation loss has not improved by more than MinDelta for Patience epochs.</summary>
public sealed class EarlyStoppingSpec
{
    public int? Patience { get; set; }
    public double? MinDelta { get; set; }
    /// <summary>When it stops, go back to the weights of the best validation epoch (Keras's restore_best_weights); the
    /// stored model and the test figures then come from them. Default true.</summary>
    public bool? RestoreBestWeights { get; set; }
}
