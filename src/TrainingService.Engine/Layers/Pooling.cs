using TrainingService.Engine.Tensors;

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
