using System.Reflection;
using TrainingService.Engine.Activations;
using TrainingService.Engine.Data;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Losses;
using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Search;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Training;

/// <summary>
/// The spec's vocabulary, read by everything that speaks it: <see cref="SpecDefaults"/>, <see cref="SpecValidator"/>,
/// the factories, the CLI's help, the API's <c>GET /api/spec</c> (which the dashboard's form and the Swagger enums are
/// built from). Each word is declared once, where it is implemented: an optimizer in its own file
/// (<see cref="Adam.Entry"/>, found here by reflection, so adding one is adding its file), activations, losses and
/// init schemes beside their factories, schedules in <see cref="LearningRateSchedule"/>, generators in
/// <see cref="SyntheticDatasets"/>.
/// </summary>
public static class SpecVocabulary
{
    public static IReadOnlyList<OptimizerEntry> GradientOptimizers { get; } = Declared<OptimizerEntry>();
    public static IReadOnlyList<SearchEntry> SearchOptimizers { get; } = Declared<SearchEntry>();
    /// <summary>Gradient descent first, in the order the subject is taught, then the gradient-free methods.</summary>
    public static IReadOnlyList<Entry> Optimizers { get; } = [.. GradientOptimizers, .. SearchOptimizers];
    public static IReadOnlyList<Entry> Schedules => LearningRateSchedule.Entries;
    public static IReadOnlyList<Entry> Activations => Activation.Entries;
    public static IReadOnlyList<Entry> Losses => Loss.Entries;
    public static IReadOnlyList<Entry> Inits => Initializer.Entries;

    public static IReadOnlyList<Entry> Gradients { get; } =
    [
        new("backprop", "backpropagation: the exact gradient, one backward pass per step"),
        new("numerical", "central differences (f(θ+h) − f(θ−h))/2h: 2 forward passes per parameter per step"),
    ];

    /// <summary>Layer kinds of <c>model.layers</c>, each declared in its layer's file (<see cref="Conv2d.Entry"/>, found
    /// here by reflection, so a new kind is its file), then the activations as layers; <c>model.hidden</c> is the
    /// shorthand for dense layers' units.</summary>
    public static IReadOnlyList<LayerKind> Layers { get; } = [.. Declared<LayerKind>(), .. ActivationLayer.Kinds];

    public static LayerKind? Layer(string? name) => Layers.FirstOrDefault(l => l.Name == name);

    /// <summary>A generator's noise (its default is the generator's own).</summary>
    public static SpecField Noise { get; } = SpecField.Number("noise", "generator noise (what it means is in each generator's description)", 0, 10);

    /// <summary>The built-in datasets: the generators with their fields (samples, noise), the 2-D surfaces, the real
    /// datasets shipped with the engine (iris, wine, breast_cancer, digits, mnist).
    /// CSV uploads are the user's and listed by <c>GET /api/datasets</c>.</summary>
    public static IReadOnlyList<DatasetEntry> Datasets { get; } =
    [
        .. SyntheticDatasets.All.Select(g => new DatasetEntry(g.Name, "synthetic", g.Description,
        [
            SpecField.Integer("samples", "generated rows", 1, SpecLimits.Default.MaxSamples).WithDefault(g.DefaultSamples),
            Noise.WithDefault(g.DefaultNoise),
        ])),
        .. TestFunctions.Surfaces.All.Select(s => new DatasetEntry(s.Name, "surface", s.Description, [])),
        .. BuiltInDatasets.All.Select(b => new DatasetEntry(b.Name, "builtin", b.Description, [])),
    ];

    /// <summary>The spec's own fields, by JSON path, with their defaults (<see cref="SpecDefaults"/>) and ranges under
    /// the default <see cref="SpecLimits"/>. An entry's fields (an optimizer's, a schedule's) are listed in the entry.</summary>
    public static IReadOnlyList<SpecField> RunFields { get; } =
    [
        SpecField.Text("name", "the run's name (default: «optimizer» on «dataset»)"),
        new SpecField("seed", FieldType.Integer, "same seed → same data, weights and batches (default: random)") { Min = 0 },
        SpecField.Text("dataset.name", "a built-in dataset or an uploaded CSV's name").WithDefault(SpecDefaults.Dataset),
        SpecField.Number("dataset.validationFraction", "rows held out for validation", 0, 1, maxExclusive: true).WithDefault(SpecDefaults.ValidationFraction),
        SpecField.Number("dataset.testFraction", "rows held out for the test", 0, 1, maxExclusive: true).WithDefault(SpecDefaults.TestFraction),
        SpecField.Boolean("dataset.shuffle", "shuffle the rows before splitting").WithDefault(SpecDefaults.Shuffle),
        SpecField.Boolean("dataset.standardize", "scale features to zero mean, unit variance (training split's statistics)").WithDefault(SpecDefaults.Standardize),
        new SpecField("model.hidden", FieldType.Integers, "units of each hidden (dense) layer") { Default = SpecDefaults.Hidden, Min = 1, Max = SpecLimits.Default.MaxLayerWidth },
        SpecField.Choice("model.activation", "hidden-layer activation", Activation.HiddenNames).WithDefault(SpecDefaults.Activation),
        SpecField.Choice("model.outputActivation", "output activation (default: implied by the loss, else identity)", Activation.OutputNames),
        SpecField.Choice("model.init", "weight initialisation", Initializer.Names).WithDefault(SpecDefaults.Init),
        SpecField.Choice("loss", "loss (default: cross_entropy for classification, mse for regression)", Loss.Names),
        SpecField.Choice("gradient", "where gradients come from (gradient-descent optimizers)", [.. Gradients.Select(g => g.Name)]).WithDefault(SpecDefaults.Gradient),
        SpecField.Integer("batchSize", "rows per step: 0 = the whole training set, 1 = per-sample", 0, SpecLimits.Default.MaxBatchSize).WithDefault(SpecDefaults.BatchSize),
        SpecField.Integer("epochs", "passes over the training set", 1, SpecLimits.Default.MaxEpochs).WithDefault(SpecDefaults.Epochs),
        SpecField.Boolean("gradientCheck", "compare backprop with central differences on the first batch").WithDefault(false),
        SpecField.Integer("earlyStopping.patience", "epochs without improvement of the validation loss before stopping", 1, SpecLimits.Default.MaxEpochs).WithDefault(SpecDefaults.EarlyStoppingPatience),
        SpecField.Number("earlyStopping.minDelta", "least decrease that counts as an improvement", 0, double.MaxValue).WithDefault(0.0),
        SpecField.Boolean("earlyStopping.restoreBestWeights", "when stopping, go back to the best epoch's weights").WithDefault(true),
        SpecField.Choice("optimizer.type", "the optimizer", [.. Optimizers.Select(o => o.Name)]).WithDefault(SpecDefaults.Optimizer),
        SpecField.Choice("optimizer.schedule.type", "learning-rate schedule, stepped once per epoch", [.. Schedules.Select(s => s.Name)]).WithDefault(SpecDefaults.Schedule),
    ];

    public static SpecField RunField(string path) => RunFields.First(f => f.Name == path);

    public static Entry? Optimizer(string name) => Optimizers.FirstOrDefault(o => o.Name == name);
    public static OptimizerEntry? GradientOptimizer(string name) => GradientOptimizers.FirstOrDefault(o => o.Name == name);
    public static SearchEntry? SearchOptimizer(string name) => SearchOptimizers.FirstOrDefault(o => o.Name == name);
    public static Entry? Schedule(string name) => Schedules.FirstOrDefault(s => s.Name == name);
    public static bool IsGradientFree(string? optimizerType) => optimizerType is not null && SearchOptimizer(optimizerType) is not null;

    /// <summary>An optimizer's fields as <paramref name="spec"/> sets them, its defaults for the rest.</summary>
    public static FieldValues Values(Entry entry, OptimizerSpec spec) => Values(entry, name => SpecProperties<OptimizerSpec>.Get(spec, name));

    public static FieldValues Values(Entry entry, ScheduleSpec spec) => Values(entry, name => SpecProperties<ScheduleSpec>.Get(spec, name));

    private static FieldValues Values(Entry entry, Func<string, object?> given)
    {
        var values = new Dictionary<string, object>();
        foreach (var f in entry.Fields)
            if ((given(f.Name) ?? f.Default) is { } v) values[f.Name] = v;
        return new FieldValues(values);
    }

    /// <summary>The public static <typeparamref name="T"/> properties the engine's types declare (<c>Adam.Entry</c>),
    /// by <see cref="Entry.Order"/>.</summary>
    private static IReadOnlyList<T> Declared<T>() where T : Entry =>
    [
        .. typeof(SpecVocabulary).Assembly.GetTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(p => p.PropertyType == typeof(T))
            .Select(p => (T)p.GetValue(null)!)
            .OrderBy(e => e.Order).ThenBy(e => e.Name, StringComparer.Ordinal),
    ];
}
