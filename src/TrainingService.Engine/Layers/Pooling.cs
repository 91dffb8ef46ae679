using TrainingService.Engine.Tensors;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Layers;

/// <summary>The geometry two pooling kinds share: windows of <see cref="Kernel"/> every <see cref="Stride"/>, no
/// padding, windows that run past the edge dropped (PyTorch's max_pool2d / avg_pool2d with ceil_mode false).</summary>
public readonly record struct Pooling((int H, int W) Kernel, (int H, int W) Stride)
{
    /// <summary>The output of <paramref name="input"/>, or an exception that says why the window does not fit.</summary>
    public Shape OutputOf(Shape input)
    {
        if (Kernel.H < 1 || Kernel.W < 1 || Stride.H < 1 || Stride.W < 1)
            throw new ArgumentException($"kernel and stride must be positive, got kernel {Kernel}, stride {Stride}");
        if (Kernel.H > input.Height || Kernel.W > input.Width)
            throw new ArgumentException($"kernel {Kernel.H}×{Kernel.W} is larger than the {input.Height}×{input.Width} input");
        return new Shape(input.Channels, (input.Height - Kernel.H) / Stride.H + 1, (input.Width - Kernel.W) / Stride.W + 1);
    }
}

/// <summary>What maxpool2d and avgpool2d share as <c>model.layers</c> kinds: kernel, stride (default: the kernel), no
/// padding, windows that run past the edge dropped.</summary>
internal sealed class PoolingKind(string name, string description, Func<Shape, (int H, int W), (int H, int W), ILayer> create) : LayerKind(name, description,
[
    SpecField.Integer("kernel", "window size: a number or [h, w]", 1, 1024),
    SpecField.Integer("stride", "step between windows: a number or [h, w] (default: the kernel)", 1, 1024),
])
{
    public override LayerSpec WithDefaults(LayerSpec s) => s.With(stride: s.Stride ?? s.Kernel);

    public override Shape? Check(LayerSpec s, Shape input, LayerProblems p)
    {
        if (p.Pair("kernel", s.Kernel, 1, required: true) is not { } k) return null;
        if (p.Pair("stride", s.Stride ?? k, 1, required: false) is not { } st) return null;
        if (!p.Spatial(Name, input)) return null;
        if (k.H > input.Height || k.W > input.Width) { p.Add("kernel", $"kernel {k} is larger than {p.From(input)}"); return null; }
        return new Pooling(k.Tuple, st.Tuple).OutputOf(input);
    }

    public override ILayer Build(LayerSpec s, Shape input, int index, long seed, string at) =>
        create(input, s.Kernel!.Value.Tuple, (s.Stride ?? s.Kernel.Value).Tuple);
}
