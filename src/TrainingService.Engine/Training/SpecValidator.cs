using TrainingService.Engine.Data;
using TrainingService.Engine.Losses;
using TrainingService.Engine.Search;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Training;

/// <summary>
/// Checks a spec before anything runs. <see cref="Validate"/> needs only the spec; <see cref="ValidateResolved"/>
/// checks a filled-in spec against its dataset (loss vs task, sizes, resource limits and the run's estimated cost).
/// Every problem is reported with its JSON path, never just the first; but array lengths come first
/// (<see cref="Structure"/>), and past one of those limits no element is looked at, so a spec of two million hidden
/// layers costs one error, not two million.
/// </summary>
public static class SpecValidator
{
    public static List<SpecError> Validate(RunSpec spec, SpecLimits? limits = null)
    {
        limits ??= SpecLimits.Default;
        var e = Structure(spec, limits);
        if (e.Count > 0) return e;
        LabelValues(spec.Name, spec.Tags, limits, e);
        ValidateDataset(spec.Dataset, limits, e);
        ValidateModel(spec.Model, limits, e);
        CheckRunField(e, "loss", spec.Loss);
        ValidateOptimizer(spec.Optimizer, e);
        CheckRunField(e, "gradient", spec.Gradient);
        if (spec.BatchSize is { } b && (b < 0 || b > limits.MaxBatchSize))
            e.Add(new("batchSize", $"must be between 0 (full batch) and {limits.MaxBatchSize}, got {b}"));
        if (spec.Epochs is { } ep && (ep < 1 || ep > limits.MaxEpochs))
            e.Add(new("epochs", $"must be between 1 and {limits.MaxEpochs}, got {ep}"));
        CheckRunField(e, "seed", spec.Seed);
        if (spec.EarlyStopping is { } es)
        {
            if (es.Patience is { } p && (p < 1 || p > limits.MaxEpochs)) e.Add(new("earlyStopping.patience", $"must be between 1 and {limits.MaxEpochs}, got {p}"));
            if (es.MinDelta is { } md && !(md >= 0 && double.IsFinite(md))) e.Add(new("earlyStopping.minDelta", $"must be a finite number ≥ 0, got {md}"));
        }

        // Combinations: the step function has no gradient.
        string hidden = spec.Model?.Activation ?? SpecDefaults.Activation;
        string? output = spec.Model?.OutputActivation;
        bool gradientBased = !SpecVocabulary.IsGradientFree(spec.Optimizer?.Type);
        if (!gradientBased && spec.Gradient == "numerical")
            e.Add(new("gradient", $"{spec.Optimizer!.Type} uses no gradient; leave gradient unset or use a gradient-based optimizer"));
        if (!gradientBased && spec.GradientCheck == true)
            e.Add(new("gradientCheck", $"{spec.Optimizer!.Type} uses no gradient, so there is nothing to check"));
        if (gradientBased && hidden == "step" && spec.Model?.Layers is null && (spec.Model?.Hidden is not { Count: 0 }))
            e.Add(new("model.activation", "step has no gradient, so backprop cannot train it; use a gradient-free optimizer (random_search, hill_climbing, genetic) or another activation"));
        if (gradientBased && output == "step")
            e.Add(new("model.outputActivation", "step has no gradient, so backprop cannot train it; use a gradient-free optimizer or another activation"));
        if (spec.Loss is { } l && output is not null && Loss.RequiredOutputActivation(l) is { } required && output != required)
            e.Add(new("model.outputActivation", $"{l} requires the {required} output activation, got '{output}'"));
        if (output == "softmax" && spec.Loss is { } l2 && l2 != "cross_entropy")
            e.Add(new("model.outputActivation", $"softmax is only available with the cross_entropy loss, not {l2}"));
        return e;
    }

    /// <summary>A run's name and tags alone, as a submission checks them (a run's labels edited later are checked
    /// by the same rules): how many tags first, then each value.</summary>
    public static List<SpecError> Labels(string? name, IReadOnlyList<string>? tags, SpecLimits? limits = null)
    {
        limits ??= SpecLimits.Default;
        var e = new List<SpecError>();
        TagCount(tags, limits, e);
        if (e.Count == 0) LabelValues(name, tags, limits, e);
        return e;
    }

    private static void TagCount(IReadOnlyList<string>? tags, SpecLimits limits, List<SpecError> e)
    {
        if (tags is not null && tags.Count > limits.MaxTags) e.Add(new("tags", $"at most {limits.MaxTags} tags, got {tags.Count:N0}"));
    }

    private static void LabelValues(string? name, IReadOnlyList<string>? tags, SpecLimits limits, List<SpecError> e)
    {
        if (name is not null && (name.Length > limits.MaxNameLength || string.IsNullOrWhiteSpace(name)))
            e.Add(new("name", $"must be 1–{limits.MaxNameLength} characters, not blank"));
        if (tags is null) return;
        for (int i = 0; i < tags.Count; i++)
            if (string.IsNullOrWhiteSpace(tags[i]) || tags[i].Length > limits.MaxTagLength)
                e.Add(new($"tags[{i}]", $"must be 1–{limits.MaxTagLength} characters, not blank"));
    }

    /// <summary>The structural limits alone: how many tags and hidden layers. Checked before any element.</summary>
    public static List<SpecError> Structure(RunSpec spec, SpecLimits? limits = null)
    {
        limits ??= SpecLimits.Default;
        var e = new List<SpecError>();
        TagCount(spec.Tags, limits, e);
        if (spec.Model?.Hidden is { } h && h.Count > limits.MaxHiddenLayers)
            e.Add(new("model.hidden", $"at most {limits.MaxHiddenLayers} hidden layers, got {h.Count:N0}"));
        if (spec.Model?.Layers is { } layers && layers.Count > limits.MaxLayers)
            e.Add(new("model.layers", $"at most {limits.MaxLayers} layers, got {layers.Count:N0}"));
        return e;
    }

    private static void ValidateDataset(DatasetSpec? d, SpecLimits limits, List<SpecError> e)
    {
        if (d is null) return;
        if (d.Name is { } n && (n.Length == 0 || n.Length > 200 || n.IndexOfAny(['/', '\\', '\0']) >= 0 || n.Contains("..")))
            e.Add(new("dataset.name", "must be a dataset name (a generator, mnist or an uploaded CSV), not a path"));
        if (d.Samples is { } s && (s < 1 || s > limits.MaxSamples)) e.Add(new("dataset.samples", $"must be between 1 and {limits.MaxSamples}, got {s}"));
        if (d.Noise is { } nz && SpecVocabulary.Noise.Check(nz) is { } noise) e.Add(new("dataset.noise", noise));
        int before = e.Count;
        CheckRunField(e, "dataset.validationFraction", d.ValidationFraction);
        CheckRunField(e, "dataset.testFraction", d.TestFraction);
        bool fractionsOk = e.Count == before;
        if (fractionsOk && (d.ValidationFraction ?? SpecDefaults.ValidationFraction) + (d.TestFraction ?? SpecDefaults.TestFraction) >= 0.95)
            e.Add(new("dataset.testFraction", "validationFraction + testFraction must stay below 0.95, leaving rows to train on"));
    }

    private static void ValidateModel(ModelSpec? m, SpecLimits limits, List<SpecError> e)
    {
        if (m is null) return;
        if (m.Hidden is { } h)
            for (int i = 0; i < h.Count; i++)
                if (h[i] < 1 || h[i] > limits.MaxLayerWidth) e.Add(new($"model.hidden[{i}]", $"must be between 1 and {limits.MaxLayerWidth}, got {h[i]}"));
        CheckRunField(e, "model.activation", m.Activation);
        if (m.Layers is not null)
        {
            // The layer list says it all; its shapes are checked against the dataset (ValidateResolved).
            if (m.Hidden is not null) e.Add(new("model.hidden", "not used with model.layers: list the dense layers there ({ \"type\": \"dense\", \"units\": …})"));
            if (m.Activation is not null) e.Add(new("model.activation", "not used with model.layers: add activation layers there ({ \"type\": \"relu\" })"));
        }
        CheckRunField(e, "model.outputActivation", m.OutputActivation);
        CheckRunField(e, "model.init", m.Init);
    }

    /// <summary>The chosen optimizer's entry says which fields it takes: each given field is checked against the entry's
    /// range, a field it does not take is refused by name, and the entry's rule runs on the filled-in values.</summary>
    private static void ValidateOptimizer(OptimizerSpec? o, List<SpecError> e)
    {
        if (o is null) return;
        string type = o.Type ?? SpecDefaults.Optimizer;
        if (SpecVocabulary.Optimizer(type) is not { } entry)
        {
            CheckRunField(e, "optimizer.type", type);
            return;
        }
        bool gradientFree = entry is SearchEntry;
        string takes = gradientFree ? entry.FieldList : $"{entry.FieldList}, schedule";
        CheckFields(e, "optimizer", entry, SpecProperties<OptimizerSpec>.Set(o), $"not used by {type}; {type} takes {takes}");
        if (o.Schedule is { } s)
        {
            if (gradientFree) e.Add(new("optimizer.schedule", $"not used by {type}; {type} takes {takes}"));
            else ValidateSchedule(s, e);
        }
        // The rule runs whatever else is wrong, so that every problem is reported at once.
        if (entry.Rule?.Invoke(SpecVocabulary.Values(entry, o)) is var (field, message))
            e.Add(new($"optimizer.{field}", message));
    }

    private static void ValidateSchedule(ScheduleSpec s, List<SpecError> e)
    {
        string type = s.Type ?? SpecDefaults.Schedule;
        if (SpecVocabulary.Schedule(type) is not { } entry)
        {
            CheckRunField(e, "optimizer.schedule.type", type);
            return;
        }
        CheckFields(e, "optimizer.schedule", entry, SpecProperties<ScheduleSpec>.Set(s), $"not used by the {type} schedule; {type} takes {entry.FieldList}");
        if (entry.Rule is { } rule && rule(SpecVocabulary.Values(entry, s)) is var (field, message))
            e.Add(new($"optimizer.schedule.{field}", message));
    }

    private static void CheckFields(List<SpecError> e, string prefix, Entry entry, IEnumerable<(string Name, object Value)> given, string notUsed)
    {
        foreach (var (name, value) in given)
        {
            if (entry.Field(name) is not { } field) e.Add(new($"{prefix}.{name}", notUsed));
            else if (field.Check(value) is { } problem) e.Add(new($"{prefix}.{name}", problem));
        }
    }

    /// <summary>A spec field, when set, checked against the registry (<see cref="SpecVocabulary.RunFields"/>).</summary>
    private static void CheckRunField(List<SpecError> e, string path, object? value)
    {
        if (value is not null && SpecVocabulary.RunField(path).Check(value) is { } problem) e.Add(new(path, problem));
    }

    /// <summary>Checks a filled-in spec against the dataset it will train on.</summary>
    public static List<SpecError> ValidateResolved(RunSpec s, Dataset data, SpecLimits? limits = null)
    {
        limits ??= SpecLimits.Default;
        var e = new List<SpecError>();
        string loss = s.Loss!;
        if ((loss == "cross_entropy" || loss == "bce") && !data.IsClassification)
            e.Add(new("loss", $"{loss} needs a classification dataset, but '{data.Name}' has a numeric (regression) target; use mse or l1"));
        if (s.Dataset!.Samples is not null && SyntheticDatasets.Find(data.Name) is null)
            e.Add(new("dataset.samples", $"applies only to generated datasets, not '{data.Name}'"));
        if (s.Dataset.Noise is not null && SyntheticDatasets.Find(data.Name) is null)
            e.Add(new("dataset.noise", $"applies only to generated datasets, not '{data.Name}'"));

        int trainRows = RunCost.TrainRows(s, data.Count);
        if (trainRows < 1) e.Add(new("dataset.testFraction", $"leaves no training rows out of {data.Count}"));
        if (s.EarlyStopping is not null && (int)Math.Round(data.Count * s.Dataset.ValidationFraction!.Value) < 1)
            e.Add(new("earlyStopping", "needs a validation split: set dataset.validationFraction > 0"));

        if (TestFunctions.Surfaces.Find(s.Dataset.Name!) is not null)
        {
            // The point (w, b) is the model: a 1→1 identity layer, no data to standardise, no backprop to check.
            if (s.Model!.Layers is not null) e.Add(new("model.layers", $"'{data.Name}' is a 2-D surface whose parameters are the point (w, b): use hidden []"));
            else if (s.Model.Hidden!.Count > 0) e.Add(new("model.hidden", $"'{data.Name}' is a 2-D surface whose parameters are the point (w, b): use hidden []"));
            if (s.Model.OutputActivation != "identity") e.Add(new("model.outputActivation", $"'{data.Name}' is a surface: use identity (the default with mse)"));
            if (s.Dataset.Standardize == true) e.Add(new("dataset.standardize", $"'{data.Name}' is a surface: there is no data to standardise"));
            if (s.GradientCheck == true) e.Add(new("gradientCheck", $"'{data.Name}' is a surface: its gradient is exact, there is no backprop to check"));
        }
        long parameters;
        if (s.Model!.Layers is { } layers)
        {
            var stack = LayerStack.Check(data.Shape, layers, limits);
            if (stack.Count > 0) { e.AddRange(stack); return e; }
            // The float64 reference recomputes every kind but a dropout mask, which is a draw of the training pass.
            // Central differences likewise need the same loss twice, which a fresh mask per forward pass is not.
            for (int i = 0; i < layers.Count; i++)
                if (layers[i].Type == "dropout" && layers[i].Rate is > 0 and var rate)
                {
                    if (s.GradientCheck == true)
                        e.Add(new("gradientCheck", $"model.layers[{i}] is dropout at rate {rate}: its mask is a random draw of the training pass, which the check's float64 recomputation cannot repeat; set that rate to 0 or leave gradientCheck off"));
                    if (s.Gradient == "numerical")
                        e.Add(new("gradient", $"model.layers[{i}] is dropout at rate {rate}: central differences need the same loss twice, and each forward pass draws a new mask; set that rate to 0 or use backprop"));
                }
            parameters = LayerStack.Plan(data.Shape, layers, SpecDefaults.OutputSize(loss, data)).Sum(p => p.Parameters);
        }
        else parameters = ParameterCount(data.Features, s.Model.Hidden!, SpecDefaults.OutputSize(loss, data));
        string modelField = s.Model.Layers is null ? "model.hidden" : "model.layers";
        if (parameters > limits.MaxParameters)
            e.Add(new(modelField, $"the network would have {parameters:N0} parameters; the limit is {limits.MaxParameters:N0}"));
        if (s.Optimizer!.PopulationSize is { } pop && pop * parameters > limits.MaxParameters)
            e.Add(new("optimizer.populationSize", $"{pop} individuals × {parameters:N0} parameters exceed the limit of {limits.MaxParameters:N0} stored weights"));
        if (s.Gradient == "numerical" && parameters > limits.MaxNumericalParameters)
            e.Add(new("gradient", $"numerical gradients need 2 forward passes per parameter; {parameters:N0} parameters exceed the limit of {limits.MaxNumericalParameters:N0}"));
        if (trainRows >= 1)
        {
            int batch = s.BatchSize!.Value == 0 ? trainRows : Math.Min(s.BatchSize.Value, trainRows);
            long steps = (long)s.Epochs!.Value * ((trainRows + batch - 1) / batch);
            if (steps > limits.MaxTotalSteps)
                e.Add(new("epochs", $"{s.Epochs} epochs × {(trainRows + batch - 1) / batch} steps = {steps:N0} steps; the limit is {limits.MaxTotalSteps:N0}"));
            if (limits.MaxRunMemoryBytes is not null || limits.MaxStepFlops is not null)
                e.AddRange(RunCost.Estimate(s, data).Refusals(limits));
        }
        return e;
    }

    public static long ParameterCount(int inputs, IReadOnlyList<int> hidden, int outputs)
    {
        long n = 0; int prev = inputs;
        foreach (int h in hidden) { n += (long)prev * h + h; prev = h; }
        return n + (long)prev * outputs + outputs;
    }
}
