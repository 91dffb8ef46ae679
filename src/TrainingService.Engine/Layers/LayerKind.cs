using TrainingService.Engine.Tensors;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Layers;

/// <summary>
/// A kind of layer as <c>model.layers</c> names it: its vocabulary entry (name, description, fields with ranges) and
/// what turns one spec entry into a layer — its defaults, the check of its fields against its input shape (which
/// gives its output shape), its size and cost, and the layer itself. Each kind declares its own in the layer's file
/// (<see cref="Conv2d.Entry"/>, …), where the registry finds it: a new kind is its file.
/// </summary>
public abstract class LayerKind(string name, string description, IReadOnlyList<SpecField>? fields = null) : Entry(name, description, fields)
{
    /// <summary>Largest units or filters a layer may have under the default limits.</summary>
    public const int DefaultMaxWidth = 8192;

    /// <summary><paramref name="s"/> with this kind's defaults filled in (conv2d's stride 1, a pool's stride its kernel).</summary>
    public virtual LayerSpec WithDefaults(LayerSpec s) => s;

    /// <summary>The output shape of the layer <paramref name="s"/> on <paramref name="input"/>, or null after reporting
    /// what is wrong to <paramref name="problems"/>.</summary>
    public abstract Shape? Check(LayerSpec s, Shape input, LayerProblems problems);

    /// <summary>The checked layer (<paramref name="index"/>: its place in the network, which names its parameters);
    /// <paramref name="seed"/> and <paramref name="at"/> seed what draws random numbers (dropout).</summary>
    public abstract ILayer Build(LayerSpec s, Shape input, int index, long seed, string at);

    /// <summary>Parameters, multiply-adds per sample forward, and scratch floats per sample (what RunCost adds up).</summary>
    public virtual (long Parameters, double Macs, double Scratch) Cost(LayerSpec s, Shape input, Shape output) => (0, 0, 0);
}

/// <summary>Where a layer's problems go, named by JSON path (<c>model.layers[3].kernel</c>), with the checks the kinds
/// share.</summary>
public sealed class LayerProblems(string at, int index, int maxWidth, Action<string, string> report)
{
    /// <summary>The layer's JSON path, e.g. <c>model.layers[3]</c>.</summary>
    public string At => at;
    public int MaxWidth => maxWidth;

    public void Add(string field, string message) => report($"{at}.{field}", message);

    /// <summary>How messages name the layer's input: "the 4×4 input of layer 3" (or "of the dataset").</summary>
    public string From(Shape input) => index == 0 ? $"the {Describe(input)} input of the dataset" : $"the {Describe(input)} input of layer {index}";

    public static string Describe(Shape s) => s.IsFlat ? $"flat {s.Size}" : $"{s.Height}×{s.Width}" + (s.Channels > 1 ? $" ({s.Channels} channels)" : "");

    /// <summary>False (reported) unless <paramref name="input"/> is an image (C×H×W).</summary>
    public bool Spatial(string type, Shape input)
    {
        if (!input.IsFlat) return true;
        Add("type", index == 0
            ? $"{type} needs an image dataset (C×H×W); this dataset's samples are flat ({input.Size} features)"
            : $"{type} needs an image input (C×H×W), but layer {index} outputs a flat {input.Size}");
        return false;
    }

    /// <summary>False (reported) unless <paramref name="value"/> is set and in [min, max].</summary>
    public bool Required(string field, int? value, int min, int max)
    {
        if (value is not { } v) { Add(field, "required"); return false; }
        if (v < min || v > max) { Add(field, $"must be between {min} and {max}, got {v}"); return false; }
        return true;
    }

    /// <summary>The kernel, stride or padding, or null (reported when <paramref name="required"/> or out of range).</summary>
    public SizePair? Pair(string field, SizePair? value, int min, bool required)
    {
        if (value is not { } p) { if (required) Add(field, "required: a number or [h, w]"); return null; }
        const int max = 1024;
        if (p.H < min || p.W < min || p.H > max || p.W > max) { Add(field, $"must be between {min} and {max}, got {p}"); return null; }
        return p;
    }
}
