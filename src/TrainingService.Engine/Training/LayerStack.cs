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
    /// <summary>Activations that can be layers (the hidden-layer ones that have a gradient).</summary>
    public static readonly string[] ActivationKinds = ["relu", "leaky_relu", "tanh", "sigmoid", "identity"];

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

    /// <summary>The output shape of the last valid layer; adds errors; builds into <paramref name="build"/> when given.</summary>
    private static Shape Walk(Shape input, IReadOnlyList<LayerSpec> layers, SpecLimits limits, List<SpecError> errors, (List<ILayer> Layers, long Seed)? build, List<LayerPlan>? plans)
    {
        Shape shape = input;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec s = layers[i];
            string at = $"model.layers[{i}]";
            string from = i == 0 ? $"the {Describe(shape)} input of the dataset" : $"the {Describe(shape)} input of layer {i}";
            if (s is null) { errors.Add(new(at, "expected a layer object { \"type\": … }")); return shape; }
            if (s.Type is null) { errors.Add(new($"{at}.type", $"required: one of {string.Join(", ", SpecVocabulary.Layers.Select(l => l.Name))}")); return shape; }
            var entry = SpecVocabulary.Layers.FirstOrDefault(l => l.Name == s.Type);
            if (entry is null) { errors.Add(new($"{at}.type", $"'{SpecError.Quote(s.Type)}' is not one of: {string.Join(", ", SpecVocabulary.Layers.Select(l => l.Name))}")); return shape; }
            int before = errors.Count;
            foreach (var (field, set) in new (string, bool)[] { ("filters", s.Filters is not null), ("kernel", s.Kernel is not null), ("stride", s.Stride is not null), ("padding", s.Padding is not null), ("units", s.Units is not null), ("rate", s.Rate is not null) })
                if (set && entry.Field(field) is null) errors.Add(new($"{at}.{field}", $"{s.Type} does not take {field} (it takes {entry.FieldList})"));
            if (errors.Count > before) return shape;

            ILayer? layer = null;
            Shape next = shape;
            int index = build?.Layers.Count ?? 0;
            switch (s.Type)
            {
                case "conv2d":
                {
                    if (!Required(errors, at, "filters", s.Filters, 1, limits.MaxLayerWidth)) return shape;
                    if (Pair(errors, at, "kernel", s.Kernel, 1, required: true) is not { } k) return shape;
                    if (Pair(errors, at, "stride", s.Stride ?? 1, 1, required: false) is not { } st) return shape;
                    if (Pair(errors, at, "padding", s.Padding ?? 0, 0, required: false) is not { } pad) return shape;
                    if (!Spatial(errors, at, s.Type, shape, i)) return shape;
                    int ph = shape.Height + 2 * pad.H, pw = shape.Width + 2 * pad.W;
                    if (k.H > ph || k.W > pw)
                    {
                        errors.Add(new($"{at}.kernel", $"kernel {k} is larger than {from}{(pad.H + pad.W > 0 ? $" padded by {pad} ({ph}×{pw})" : "")}"));
                        return shape;
                    }
                    next = new Shape(s.Filters!.Value, Conv2d.OutputSize(shape.Height, k.H, st.H, pad.H), Conv2d.OutputSize(shape.Width, k.W, st.W, pad.W));
                    if (build is not null) layer = new Conv2d(index, shape, s.Filters.Value, k.Tuple, st.Tuple, pad.Tuple, new Identity());
                    break;
                }
                case "maxpool2d" or "avgpool2d":
                {
                    if (Pair(errors, at, "kernel", s.Kernel, 1, required: true) is not { } k) return shape;
                    if (Pair(errors, at, "stride", s.Stride ?? k, 1, required: false) is not { } st) return shape;
                    if (!Spatial(errors, at, s.Type, shape, i)) return shape;
                    if (k.H > shape.Height || k.W > shape.Width) { errors.Add(new($"{at}.kernel", $"kernel {k} is larger than {from}")); return shape; }
                    next = new Pooling(k.Tuple, st.Tuple).OutputOf(shape);
                    if (build is not null) layer = s.Type == "maxpool2d" ? new MaxPool2d(shape, k.Tuple, st.Tuple) : new AvgPool2d(shape, k.Tuple, st.Tuple);
                    break;
                }
                case "flatten":
                    next = Shape.Flat(shape.Size);
                    if (build is not null) layer = new Flatten(shape);
                    break;
                case "dense":
                    if (!Required(errors, at, "units", s.Units, 1, limits.MaxLayerWidth)) return shape;
                    if (!shape.IsFlat) { errors.Add(new($"{at}.type", $"dense needs a flat input, but gets {from}: put {{ \"type\": \"flatten\" }} before it")); return shape; }
                    next = Shape.Flat(s.Units!.Value);
                    if (build is not null) layer = new Dense(index, shape.Size, s.Units.Value, new Identity());
                    break;
                case "dropout":
                    if (s.Rate is not { } rate) { errors.Add(new($"{at}.rate", "required: the fraction of values zeroed while training, in [0, 1)")); return shape; }
                    if (!(rate >= 0 && rate < 1)) { errors.Add(new($"{at}.rate", $"must be in [0, 1), got {rate}")); return shape; }
                    if (build is not null) layer = new Dropout(shape, rate, Rng.ForStream(build.Value.Seed, $"dropout {at}"));
                    break;
                default: // an activation
                    if (build is null) break;
                    if (build.Value.Layers.Count > 0 && build.Value.Layers[^1] is var prev && prev.Activation is Identity && prev is Conv2d or Dense)
                    {
                        build.Value.Layers[^1] = Fuse(prev, Activation.Create(s.Type), build.Value.Layers.Count - 1);
                        continue;
                    }
                    layer = new ActivationLayer(shape, Activation.Create(s.Type));
                    break;
            }
            if (layer is not null) build!.Value.Layers.Add(layer);
            plans?.Add(s.Type switch
            {
                "conv2d" => new LayerPlan(s.Type, shape, next, (long)next.Channels * (shape.Channels * s.Kernel!.Value.H * s.Kernel.Value.W + 1),
                    (double)next.Size * shape.Channels * s.Kernel.Value.H * s.Kernel.Value.W,
                    (double)next.Height * next.Width * (2.0 * shape.Channels * s.Kernel.Value.H * s.Kernel.Value.W + next.Channels)),
                "dense" => new LayerPlan(s.Type, shape, next, (long)shape.Size * next.Size + next.Size, (double)shape.Size * next.Size, 0),
                _ => new LayerPlan(s.Type, shape, next, 0, 0, s.Type == "dropout" ? next.Size : 0),
            });
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

    private static string Describe(Shape s) => s.IsFlat ? $"flat {s.Size}" : $"{s.Height}×{s.Width}" + (s.Channels > 1 ? $" ({s.Channels} channels)" : "");

    private static bool Spatial(List<SpecError> errors, string at, string type, Shape shape, int i)
    {
        if (!shape.IsFlat) return true;
        errors.Add(new($"{at}.type", i == 0
            ? $"{type} needs an image dataset (C×H×W); this dataset's samples are flat ({shape.Size} features)"
            : $"{type} needs an image input (C×H×W), but layer {i} outputs a flat {shape.Size}"));
        return false;
    }

    private static bool Required(List<SpecError> errors, string at, string field, int? value, int min, int max)
    {
        if (value is not { } v) { errors.Add(new($"{at}.{field}", "required")); return false; }
        if (v < min || v > max) { errors.Add(new($"{at}.{field}", $"must be between {min} and {max}, got {v}")); return false; }
        return true;
    }

    private static SizePair? Pair(List<SpecError> errors, string at, string field, SizePair? value, int min, bool required)
    {
        if (value is not { } p) { if (required) errors.Add(new($"{at}.{field}", "required: a number or [h, w]")); return null; }
        const int max = 1024;
        if (p.H < min || p.W < min || p.H > max || p.W > max) { errors.Add(new($"{at}.{field}", $"must be between {min} and {max}, got {p}")); return null; }
        return p;
    }
}
