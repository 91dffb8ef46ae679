using TrainingService.Engine.Activations;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Training;

/// <summary>
/// <c>model.layers</c> → the network's <see cref="ILayer"/>s, with the output layer (a dense layer sized by the loss and
/// dataset) appended. The shapes are walked from the dataset's sample shape, so every problem is named by its layer
/// and field ("model.layers[3].kernel: kernel 5 is larger than the 4×4 input of layer 3") before anything is built.
/// An activation that directly follows a conv2d or dense layer is fused into it (one pass over the output while it is
/// in cache, as the MLP does); anywhere else it becomes an <see cref="ActivationLayer"/>. Parameters are named by
/// their place in the built network (<c>layers[0].weight</c>), which is what checkpoints and model files key on.
/// </summary>
public static class LayerStack
{
    /// <summary>Every problem with <paramref name="layers"/> on samples of <paramref name="input"/>; empty when it builds.</summary>
    public static List<SpecError> Check(Shape input, IReadOnlyList<LayerSpec> layers, SpecLimits limits)
    {
        var errors = new List<SpecError>();
        Walk(input, layers, limits, errors, build: null, plans: null);
        return errors;
    }

    /// <summary>The sizes of every layer, the output layer last, for a stack <see cref="Check"/> accepts.</summary>
    public static List<LayerPlan> Plan(Shape input, IReadOnlyList<LayerSpec> layers, int outputs)
    {
        var errors = new List<SpecError>();
        var plans = new List<LayerPlan>();
        Shape last = Walk(input, layers, SpecLimits.Default, errors, build: null, plans);
        if (errors.Count > 0) throw new SpecException(errors);
        plans.Add(new LayerPlan("dense", last, Shape.Flat(outputs), (long)last.Size * outputs + outputs, (double)last.Size * outputs, 0));
        return plans;
    }

    /// <summary>The layers, then the output layer; throws <see cref="SpecException"/> on the first problem.</summary>
    public static ILayer[] Build(Shape input, IReadOnlyList<LayerSpec> layers, int outputs, IActivation outputActivation, long seed)
    {
        var errors = new List<SpecError>();
        var built = new List<ILayer>();
        Shape last = Walk(input, layers, SpecLimits.Default, errors, (built, seed), plans: null);
        if (errors.Count > 0) throw new SpecException(errors);
        if (!last.IsFlat) throw new SpecException("model.layers", $"the output layer is dense, but the last layer outputs {last}: end with {{ \"type\": \"flatten\" }}");
        built.Add(new Dense(built.Count, last.Size, outputs, outputActivation));
        return [.. built];
    }

    /// <summary>The output shape of the last valid layer; adds errors; builds into <paramref name="build"/> when given.
    /// What each layer checks, gives and builds is its kind's (<see cref="LayerKind"/>); the stack adds the walk, the
    /// fields a kind does not take, and the fusing of activations.</summary>
    private static Shape Walk(Shape input, IReadOnlyList<LayerSpec> layers, SpecLimits limits, List<SpecError> errors, (List<ILayer> Layers, long Seed)? build, List<LayerPlan>? plans)
    {
        Shape shape = input;
        string names = string.Join(", ", SpecVocabulary.Layers.Select(l => l.Name));
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec s = layers[i];
            string at = $"model.layers[{i}]";
            if (s is null) { errors.Add(new(at, "expected a layer object { \"type\": … }")); return shape; }
            if (s.Type is null) { errors.Add(new($"{at}.type", $"required: one of {names}")); return shape; }
            var kind = SpecVocabulary.Layer(s.Type);
            if (kind is null) { errors.Add(new($"{at}.type", $"'{SpecError.Quote(s.Type)}' is not one of: {names}")); return shape; }
            int before = errors.Count;
            foreach (var (field, set) in new (string, bool)[] { ("filters", s.Filters is not null), ("kernel", s.Kernel is not null), ("stride", s.Stride is not null), ("padding", s.Padding is not null), ("units", s.Units is not null), ("rate", s.Rate is not null) })
                if (set && kind.Field(field) is null) errors.Add(new($"{at}.{field}", $"{s.Type} does not take {field} (it takes {kind.FieldList})"));
            if (errors.Count > before) return shape;

            var problems = new LayerProblems(at, i, limits.MaxLayerWidth, (path, message) => errors.Add(new(path, message)));
            if (kind.Check(s, shape, problems) is not { } next) return shape;
            if (build is { } b)
            {
                // An activation right after a conv2d or dense layer is fused into it.
                if (kind is ActivationLayer.ActivationKind act && b.Layers.Count > 0 && b.Layers[^1] is var prev && prev.Activation is Identity && prev is Conv2d or Dense)
                    b.Layers[^1] = Fuse(prev, act.Create(), b.Layers.Count - 1);
                else
                    b.Layers.Add(kind.Build(s, shape, b.Layers.Count, b.Seed, at));
            }
            var (parameters, macs, scratch) = kind.Cost(s, shape, next);
            plans?.Add(new LayerPlan(s.Type, shape, next, parameters, macs, scratch));
            shape = next;
        }
        return shape;
    }

    /// <summary>The same layer (its parameters not yet initialised) with <paramref name="activation"/> fused in.</summary>
    private static ILayer Fuse(ILayer layer, IActivation activation, int index) => layer switch
    {
        Conv2d c => new Conv2d(index, c.Input, c.Filters, c.Kernel, c.Stride, c.Padding, activation),
        Dense d => new Dense(index, d.Inputs, d.Outputs, activation),
        _ => throw new InvalidOperationException($"cannot fuse into {layer.Kind}"),
    };
}
