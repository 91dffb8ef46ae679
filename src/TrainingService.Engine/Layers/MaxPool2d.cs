using TrainingService.Engine.Activations;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>Max pooling per channel (PyTorch's nn.MaxPool2d, no padding): Z = the window's maximum (the first one on a
/// tie), whose input index is kept so that the backward pass routes each output's gradient to it.</summary>
public sealed class MaxPool2d : ILayer
{
    /// <summary>maxpool2d in <c>model.layers</c>: kernel, stride (default: the kernel).</summary>
    public static LayerKind Entry { get; } = new PoolingKind("maxpool2d", "max over each window, per channel",
        (input, kernel, stride) => new MaxPool2d(input, kernel, stride)) { Order = 2 };

    public MaxPool2d(Shape input, (int H, int W) kernel, (int H, int W) stride)
    {
        Pool = new Pooling(kernel, stride);
        Input = input;
        Output = Pool.OutputOf(input);
    }

    public string Kind => "maxpool2d";
    public Pooling Pool { get; }
    public Shape Input { get; }
    public Shape Output { get; }
    public IActivation Activation { get; } = new Identity();
    public IReadOnlyList<Parameter> Parameters { get; } = [];

    public void Initialize(string scheme, Rng rng) { }

    public LayerBuffers CreateBuffers(int maxRows, bool withGradients) => new Buffers(maxRows, Output.Size, withGradients);

    public void Forward(Matrix input, LayerBuffers buffers)
    {
        var b = (Buffers)buffers;
        RowBlocks.Run(input.Rows, Input.Size, new Pass(this, input.Data, b.Z.Data, b.Argmax));
        b.Z.ReadOnly.CopyTo(b.A.Span);
    }

    public void Backward(Matrix input, LayerBuffers buffers, Matrix? inputGradient)
    {
        if (inputGradient is null) return;
        var b = (Buffers)buffers;
        RowBlocks.Run(input.Rows, Input.Size, new Route(Input.Size, Output.Size, b.DZ!.Data, b.Argmax, inputGradient.Data));
    }

    /// <summary>Z, A and the input index of every output's maximum (within its sample).</summary>
    private sealed class Buffers(int maxRows, int width, bool withGradients) : LayerBuffers(maxRows, width, withGradients)
    {
        public int[] Argmax { get; private set; } = new int[maxRows * width];

        public override long Floats => base.Floats + Argmax.LongLength;

        public override void SetRows(int rows)
        {
            base.SetRows(rows);
            if (rows * Z.Cols > Argmax.Length) Argmax = new int[rows * Z.Cols];
        }
    }

    /// <summary>Samples [r0, r1): each window's maximum and its index. The comparison is a select, not a branch (random
    /// data mispredicts half of them), and !(v &lt;= max) takes a NaN as the maximum, as PyTorch propagates it.</summary>
    private readonly unsafe struct Pass(MaxPool2d layer, float[] input, float[] z, int[] argmax) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            Shape s = layer.Input, o = layer.Output;
            var (kh, kw) = layer.Pool.Kernel; var (sh, sw) = layer.Pool.Stride;
            int plane = s.Height * s.Width;
            bool vector = kh == 2 && kw == 2 && sh == 2 && sw == 2 && o.Width >= 4 && Kernels.VectorMaxPool;
            fixed (float* px = input, pz = z)
            fixed (int* pa = argmax)
                for (int n = r0; n < r1; n++)
                {
                    float* x = px + (long)n * s.Size;
                    long k = (long)n * o.Size;
                    for (int c = 0; c < s.Channels; c++)
                        for (int oy = 0; oy < o.Height; oy++)
                        {
                            int top = c * plane + oy * sh * s.Width;
                            if (vector)
                            {
                                Kernels.MaxPool2x2Row(x + top, s.Width, o.Width, top, pz + k, pa + k);
                                k += o.Width;
                                continue;
                            }
                            if (kh == 2 && kw == 2) // the common window, unrolled (the loops' overhead was most of its time)
                            {
                                for (int ox = 0; ox < o.Width; ox++, k++)
                                {
                                    int i = top + ox * sw, best = i;
                                    float max = x[i], v = x[i + 1];
                                    bool take = !(v <= max); best = take ? i + 1 : best; max = take ? v : max;
                                    v = x[i + s.Width]; take = !(v <= max); best = take ? i + s.Width : best; max = take ? v : max;
                                    v = x[i + s.Width + 1]; take = !(v <= max); best = take ? i + s.Width + 1 : best; max = take ? v : max;
                                    pz[k] = max;
                                    pa[k] = best;
                                }
                                continue;
                            }
                            for (int ox = 0; ox < o.Width; ox++, k++)
                            {
                                int start = top + ox * sw, best = start;
                                float max = x[start];
                                for (int ky = 0; ky < kh; ky++)
                                {
                                    int row = start + ky * s.Width;
                                    for (int kx = 0; kx < kw; kx++)
                                    {
                                        float v = x[row + kx];
                                        bool take = !(v <= max);
                                        best = take ? row + kx : best;
                                        max = take ? v : max;
                                    }
                                }
                                pz[k] = max;
                                pa[k] = best;
                            }
                        }
                }
        }
    }

    /// <summary>Samples [r0, r1): dX = 0, then each output's gradient added at its maximum, in output order.</summary>
    private readonly struct Route(int inSize, int outSize, float[] dz, int[] argmax, float[] dInput) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            for (int n = r0; n < r1; n++)
            {
                Span<float> dx = dInput.AsSpan(n * inSize, inSize);
                dx.Clear();
                for (int k = n * outSize, end = k + outSize; k < end; k++) dx[argmax[k]] += dz[k];
            }
        }
    }
}
