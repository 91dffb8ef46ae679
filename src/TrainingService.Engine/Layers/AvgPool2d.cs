using TrainingService.Engine.Activations;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>Average pooling per channel (PyTorch's nn.AvgPool2d, no padding): Z = the window's mean; the backward pass
/// spreads each output's gradient evenly over its window.</summary>
public sealed class AvgPool2d : ILayer
{
    /// <summary>avgpool2d in <c>model.layers</c>: kernel, stride (default: the kernel).</summary>
    public static LayerKind Entry { get; } = new PoolingKind("avgpool2d", "mean over each window, per channel",
        (input, kernel, stride) => new AvgPool2d(input, kernel, stride)) { Order = 3 };

    public AvgPool2d(Shape input, (int H, int W) kernel, (int H, int W) stride)
    {
        Pool = new Pooling(kernel, stride);
        Input = input;
        Output = Pool.OutputOf(input);
    }

    public string Kind => "avgpool2d";
    public Pooling Pool { get; }
    public Shape Input { get; }
    public Shape Output { get; }
    public IActivation Activation { get; } = new Identity();
    public IReadOnlyList<Parameter> Parameters { get; } = [];

    public void Initialize(string scheme, Rng rng) { }

    public LayerBuffers CreateBuffers(int maxRows, bool withGradients) => new(maxRows, Output.Size, withGradients);

    public void Forward(Matrix input, LayerBuffers buffers)
    {
        RowBlocks.Run(input.Rows, Input.Size, new Pass(this, input.Data, buffers.Z.Data, backward: false));
        buffers.Z.ReadOnly.CopyTo(buffers.A.Span);
    }

    public void Backward(Matrix input, LayerBuffers buffers, Matrix? inputGradient)
    {
        if (inputGradient is null) return;
        RowBlocks.Run(input.Rows, Input.Size, new Pass(this, inputGradient.Data, buffers.DZ!.Data, backward: true));
    }

    /// <summary>Samples [r0, r1). Forward: z = mean of x over the window. Backward: x = 0, then every window's z / (kh·kw)
    /// added to it, in output order.</summary>
    private readonly struct Pass(AvgPool2d layer, float[] x, float[] z, bool backward) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            Shape s = layer.Input, o = layer.Output;
            var (kh, kw) = layer.Pool.Kernel; var (sh, sw) = layer.Pool.Stride;
            float count = kh * kw;
            for (int n = r0; n < r1; n++)
            {
                int xBase = n * s.Size, k = n * o.Size;
                if (backward) x.AsSpan(xBase, s.Size).Clear();
                for (int c = 0; c < s.Channels; c++)
                    for (int oy = 0; oy < o.Height; oy++)
                        for (int ox = 0; ox < o.Width; ox++, k++)
                        {
                            float sum = 0, g = z[k] / count;
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int row = xBase + c * s.Height * s.Width + (oy * sh + ky) * s.Width + ox * sw;
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    if (backward) x[row + kx] += g;
                                    else sum += x[row + kx];
                                }
                            }
                            if (!backward) z[k] = sum / count;
                        }
            }
        }
    }
}
