using TrainingService.Engine.Activations;
using TrainingService.Engine.Layers;

namespace TrainingService.Engine.Training;

/// <summary>
/// A trained model as JSON: the spec it came from, the standardisation it expects, class names and every
/// layer's weights (PyTorch layout, Outputs × Inputs, row-major) — enough to predict without the dataset.
/// </summary>
public sealed class ModelFile
{
    public const string CurrentFormat = "trainingservice-model/1";

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

    public sealed class LayerWeights
    {
        public int Inputs { get; set; }
        public int Outputs { get; set; }
        public string Activation { get; set; } = "identity";
        public float[] Weight { get; set; } = [];
        public float[] Bias { get; set; } = [];
    }

    public static ModelFile From(TrainingSession s) => new()
    {
        Spec = s.Spec,
        Task = s.Train.Labels is null ? "regression" : "classification",
        Loss = s.Loss.Name,
        Inputs = s.Network.Inputs,
        FeatureNames = s.FeatureNames,
        ClassNames = s.ClassNames,
        StandardizeMean = s.Standardizer?.Mean,
        StandardizeStd = s.Standardizer?.Std,
        Layers = s.Network.Layers.Select(Perceptron).Select(l => new LayerWeights
        {
            Inputs = l.Inputs, Outputs = l.Outputs, Activation = l.Activation.Name,
            Weight = (float[])l.Weights.Data.Clone(), Bias = (float[])l.Bias.Data.Clone(),
        }).ToList(),
    };

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

    private void Check()
    {
        if (Format != CurrentFormat) throw new InvalidDataException($"model format '{Format}' is not supported (expected {CurrentFormat})");
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
