using TrainingService.Engine.Activations;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Training;

/// <summary>
/// A trained model as JSON: the spec it came from, the standardisation it expects, class names and every
/// layer's weights (PyTorch layout, Outputs × Inputs, row-major) — enough to predict without the dataset.
/// A perceptron is format 1: every layer dense. A network built from <c>model.layers</c> is format 2: it also keeps
/// the sample shape and the layer list, and <see cref="Layers"/> holds the weights of each layer that has them
/// (a convolution's as filters × C·kh·kw, its Inputs being C·kh·kw), the output layer last.
/// </summary>
public sealed class ModelFile
{
    public const string CurrentFormat = "trainingservice-model/1";
    public const string LayersFormat = "trainingservice-model/2";

    public string Format { get; set; } = CurrentFormat;
    public RunSpec? Spec { get; set; }
    public string Task { get; set; } = "classification";
    public string Loss { get; set; } = "cross_entropy";
    public int Inputs { get; set; }
    public string[]? FeatureNames { get; set; }
    public string[]? ClassNames { get; set; }
    public float[]? StandardizeMean { get; set; }
    public float[]? StandardizeStd { get; set; }
    public List<LayerWeights> Layers { get; set; } = [];
    /// <summary>Format 2: one sample's [C, H, W].</summary>
    public int[]? InputShape { get; set; }
    /// <summary>Format 2: the <c>model.layers</c> the network was built from (the output layer is the last of <see cref="Layers"/>).</summary>
    public List<LayerSpec>? Stack { get; set; }

    public sealed class LayerWeights
    {
        public int Inputs { get; set; }
        public int Outputs { get; set; }
        public string Activation { get; set; } = "identity";
        public float[] Weight { get; set; } = [];
        public float[] Bias { get; set; } = [];
    }

    public static ModelFile From(TrainingSession s)
    {
        List<LayerSpec>? stack = s.Spec.Model!.Layers;
        Shape shape = s.Network.InputShape;
        // Format 1: every layer dense (a perceptron); format 2: the layers that have weights, beside the layer list.
        var weighted = stack is null ? s.Network.Layers.Select((l, i) => (ILayer)Perceptron(l, i)) : s.Network.Layers.Where(l => l.Parameters.Count > 0);
        return new()
        {
            Format = stack is null ? CurrentFormat : LayersFormat,
            Spec = s.Spec,
            Task = s.Train.Labels is null ? "regression" : "classification",
            Loss = s.Loss.Name,
            Inputs = s.Network.Inputs,
            FeatureNames = s.FeatureNames,
            ClassNames = s.ClassNames,
            StandardizeMean = s.Standardizer?.Mean,
            StandardizeStd = s.Standardizer?.Std,
            InputShape = stack is null ? null : [shape.Channels, shape.Height, shape.Width],
            Stack = stack,
            Layers = [.. weighted.Select(l => new LayerWeights
            {
                Inputs = l.Parameters[0].Cols, Outputs = l.Parameters[0].Rows, Activation = l.Activation.Name,
                Weight = (float[])l.Parameters[0].Data.Clone(), Bias = (float[])l.Parameters[1].Data.Clone(),
            })],
        };
    }

    /// <summary>Format 1 stores perceptrons: every layer dense.</summary>
    private static Dense Perceptron(ILayer layer, int index) =>
        layer as Dense ?? throw new NotSupportedException($"model files hold dense layers; layers[{index}] is {layer.Kind}");

    public string ToJson() => SpecJson.Serialize(this);

    public static ModelFile FromJson(string json)
    {
        var m = System.Text.Json.JsonSerializer.Deserialize<ModelFile>(json, SpecJson.Options) ?? throw new InvalidDataException("the model file is empty");
        m.Check();
        return m;
    }

    /// <summary>Rebuilds the network with these weights.</summary>
    public Network BuildNetwork()
    {
        Check();
        if (Format == LayersFormat) return BuildStack();
        var sizes = new List<int> { Layers[0].Inputs };
        sizes.AddRange(Layers.Select(l => l.Outputs));
        var net = new Network(sizes, Layers.Select(l => Activation.Create(l.Activation)).ToArray());
        for (int i = 0; i < Layers.Count; i++)
        {
            var layer = (Dense)net.Layers[i];
            Layers[i].Weight.CopyTo(layer.Weights.Data, 0);
            Layers[i].Bias.CopyTo(layer.Bias.Data, 0);
        }
        return net;
    }

    /// <summary>Format 2: the layers rebuilt from the list and the shape, then each weighted layer's W and b.</summary>
    private Network BuildStack()
    {
        ILayer[] layers;
        try
        {
            layers = LayerStack.Build(new Shape(InputShape![0], InputShape[1], InputShape[2]), Stack!, Layers[^1].Outputs,
                Activations.Activation.Create(Layers[^1].Activation), seed: 0);
        }
        catch (Exception ex) when (ex is SpecException or ArgumentException)
        {
            throw new InvalidDataException($"the model's layers do not build: {ex.Message}");
        }
        var net = new Network(layers);
        var weighted = net.Layers.Where(l => l.Parameters.Count > 0).ToArray();
        if (weighted.Length != Layers.Count) throw new InvalidDataException($"the layer list has {weighted.Length} layers with weights, the file {Layers.Count}");
        for (int i = 0; i < weighted.Length; i++)
        {
            var (w, b) = (weighted[i].Parameters[0], weighted[i].Parameters[1]);
            if (Layers[i].Weight.Length != w.Length) throw new InvalidDataException($"layers[{i}].weight has {Layers[i].Weight.Length} values, expected {w.Length}");
            if (Layers[i].Bias.Length != b.Length) throw new InvalidDataException($"layers[{i}].bias has {Layers[i].Bias.Length} values, expected {b.Length}");
            if (Layers[i].Activation != weighted[i].Activation.Name) throw new InvalidDataException($"layers[{i}].activation is {Layers[i].Activation}, the layer list gives {weighted[i].Activation.Name}");
            Layers[i].Weight.CopyTo(w.Data, 0);
            Layers[i].Bias.CopyTo(b.Data, 0);
        }
        return net;
    }

    private void Check()
    {
        if (Format == LayersFormat)
        {
            if (Layers.Count == 0) throw new InvalidDataException("the model has no layers");
            if (InputShape is not { Length: 3 } s || s.Any(v => v < 1) || (long)s[0] * s[1] * s[2] != Inputs)
                throw new InvalidDataException($"inputShape must be [C, H, W] of {Inputs} values");
            if (Stack is null) throw new InvalidDataException("a format 2 model needs its layer list (stack)");
            if (StandardizeMean is { } mean && mean.Length != Inputs) throw new InvalidDataException($"standardizeMean has {mean.Length} values, expected {Inputs}");
            return;
        }
        if (Format != CurrentFormat) throw new InvalidDataException($"model format '{Format}' is not supported (expected {CurrentFormat} or {LayersFormat})");
        if (Layers.Count == 0) throw new InvalidDataException("the model has no layers");
        int prev = Inputs;
        for (int i = 0; i < Layers.Count; i++)
        {
            var l = Layers[i];
            if (l.Inputs != prev) throw new InvalidDataException($"layers[{i}].inputs is {l.Inputs}, expected {prev}");
            if (l.Weight.Length != l.Inputs * l.Outputs) throw new InvalidDataException($"layers[{i}].weight has {l.Weight.Length} values, expected {l.Inputs * l.Outputs}");
            if (l.Bias.Length != l.Outputs) throw new InvalidDataException($"layers[{i}].bias has {l.Bias.Length} values, expected {l.Outputs}");
            prev = l.Outputs;
        }
        if (StandardizeMean is { } m && m.Length != Inputs) throw new InvalidDataException($"standardizeMean has {m.Length} values, expected {Inputs}");
    }
}
