using TrainingService.Engine.Vocabulary;
using System.Runtime.CompilerServices;
using TrainingService.Engine.Activations;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>
/// A 2-D convolution (PyTorch's nn.Conv2d: cross-correlation, zero padding) and its fused activation, through the
/// packed GEMM: the batch's input windows are copied into a column matrix (im2col, one row per output position of
/// every sample, C·kh·kw wide) so that Zᵀ = cols·Wᵀ is one product over the whole batch, with W stored as
/// Conv2d.weight (filters × C·kh·kw). Backward: dW = dZᵀ·cols, db = Σ dZ, and dCols = dZ·W scattered back onto the
/// input (col2im). The column matrices live in the layer's workspace buffers, so a step allocates nothing.
/// </summary>
public sealed class Conv2d : ILayer
{
    /// <summary>conv2d in <c>model.layers</c>: filters, kernel, stride (default 1), padding (default 0); the activation
    /// that follows is fused in when the stack is built.</summary>
    public static LayerKind Entry { get; } = new Conv2dKind() { Order = 1 };

    private sealed class Conv2dKind() : LayerKind("conv2d", "2-D convolution (PyTorch's Conv2d): filters × kernel windows over a C×H×W input, plus a bias per filter",
    [
        SpecField.Integer("filters", "output channels", 1, DefaultMaxWidth),
        SpecField.Integer("kernel", "window size: a number or [h, w]", 1, 1024),
        SpecField.Integer("stride", "step between windows: a number or [h, w]", 1, 1024).WithDefault(1),
        SpecField.Integer("padding", "zeros around the input: a number or [h, w]", 0, 1024).WithDefault(0),
    ])
    {
        public override LayerSpec WithDefaults(LayerSpec s) => s.With(stride: s.Stride ?? 1, padding: s.Padding ?? 0);

        public override Shape? Check(LayerSpec s, Shape input, LayerProblems p)
        {
            if (!p.Required("filters", s.Filters, 1, p.MaxWidth)) return null;
            if (p.Pair("kernel", s.Kernel, 1, required: true) is not { } k) return null;
            if (p.Pair("stride", s.Stride ?? 1, 1, required: false) is not { } st) return null;
            if (p.Pair("padding", s.Padding ?? 0, 0, required: false) is not { } pad) return null;
            if (!p.Spatial(Name, input)) return null;
            int ph = input.Height + 2 * pad.H, pw = input.Width + 2 * pad.W;
            if (k.H > ph || k.W > pw)
            {
                p.Add("kernel", $"kernel {k} is larger than {p.From(input)}{(pad.H + pad.W > 0 ? $" padded by {pad} ({ph}×{pw})" : "")}");
                return null;
            }
            return new Shape(s.Filters!.Value, OutputSize(input.Height, k.H, st.H, pad.H), OutputSize(input.Width, k.W, st.W, pad.W));
        }

        public override ILayer Build(LayerSpec s, Shape input, int index, long seed, string at) =>
            new Conv2d(index, input, s.Filters!.Value, s.Kernel!.Value.Tuple, (s.Stride ?? 1).Tuple, (s.Padding ?? 0).Tuple, new Identity());

        public override (long Parameters, double Macs, double Scratch) Cost(LayerSpec s, Shape input, Shape output)
        {
            int window = input.Channels * s.Kernel!.Value.H * s.Kernel.Value.W;
            return ((long)output.Channels * (window + 1), (double)output.Size * window,
                (double)output.Height * output.Width * (2.0 * window + output.Channels));
        }
    }

    /// <param name="index">the layer's position in the network: its parameters are <c>layers[index].weight</c> and <c>.bias</c></param>
    public Conv2d(int index, Shape input, int filters, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, IActivation activation)
    {
        if (filters < 1) throw new ArgumentException($"filters must be positive, got {filters}", nameof(filters));
        if (kernel.H < 1 || kernel.W < 1 || stride.H < 1 || stride.W < 1 || padding.H < 0 || padding.W < 0)
            throw new ArgumentException($"kernel and stride must be positive and padding not negative, got kernel {kernel}, stride {stride}, padding {padding}");
        int outH = OutputSize(input.Height, kernel.H, stride.H, padding.H), outW = OutputSize(input.Width, kernel.W, stride.W, padding.W);
        if (outH < 1 || outW < 1)
            throw new ArgumentException($"kernel {kernel.H}×{kernel.W} is larger than the {input.Height}×{input.Width} input (padding {padding.H}×{padding.W})");
        Input = input;
        Output = new Shape(filters, outH, outW);
        (Kernel, Stride, Padding) = (kernel, stride, padding);
        Activation = activation;
        Weights = new Parameter($"layers[{index}].weight", filters, input.Channels * kernel.H * kernel.W);
        Bias = new Parameter($"layers[{index}].bias", 1, filters);
        Parameters = [Weights, Bias];
    }

    /// <summary>⌊(size + 2·padding − kernel)/stride⌋ + 1 (below 1 when the kernel does not fit).</summary>
    public static int OutputSize(int size, int kernel, int stride, int padding) =>
        size + 2 * padding < kernel ? 0 : (size + 2 * padding - kernel) / stride + 1;

    public string Kind => "conv2d";
    public Shape Input { get; }
    public Shape Output { get; }
    public (int H, int W) Kernel { get; }
    public (int H, int W) Stride { get; }
    public (int H, int W) Padding { get; }
    public IActivation Activation { get; }
    public Parameter Weights { get; }
    public Parameter Bias { get; }
    /// <summary>W (filters × C·kh·kw, PyTorch's layout flattened), b.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    public int Filters => Output.Channels;
    /// <summary>Output positions per sample.</summary>
    private int Positions => Output.Height * Output.Width;
    /// <summary>C·kh·kw: one column row.</summary>
    private int Window => Weights.Cols;

    /// <summary>fan_in = C·kh·kw and fan_out = filters·kh·kw, as PyTorch's init computes them.</summary>
    public void Initialize(string scheme, Rng rng) => Initializer.Initialize(Weights, Bias, scheme, rng, Window, Filters * Kernel.H * Kernel.W);

    public LayerBuffers CreateBuffers(int maxRows, bool withGradients) => new Buffers(maxRows, this, withGradients);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(Matrix input, LayerBuffers buffers)
    {
        var b = (Buffers)buffers;
        int rows = input.Rows;
        RowBlocks.Run(rows, Positions * Window, new Im2Col(this, input.Data, b.Cols.Data));
        Kernels.MatMulTransB(b.Cols.ReadOnly, Weights.Data, b.Positioned.Span, rows * Positions, Window, Filters);
        RowBlocks.Run(rows, Output.Size, new ToChannels(b.Positioned.Data, b.Z.Data, b.A.Data, Bias.Data, Positions, Activation));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(Matrix input, LayerBuffers buffers, Matrix? inputGradient)
    {
        var b = (Buffers)buffers;
        Matrix dZ = b.DZ ?? throw new InvalidOperationException("the workspace was created without gradients");
        int rows = input.Rows, m = rows * Positions;
        // dZ (N×F×P) → positions × filters, the layout of the forward product (reusing its buffer).
        RowBlocks.Run(rows, Output.Size, new ToPositions(dZ.Data, b.Positioned.Data, Filters, Positions));
        Kernels.MatMulTransA(b.Positioned.ReadOnly, b.Cols.ReadOnly, Weights.Grad, Filters, m, Window);
        Kernels.SumRows(b.Positioned.ReadOnly, Bias.Grad, m);
        if (inputGradient is null) return;
        Matrix dCols = b.DCols!;
        Kernels.MatMul(b.Positioned.ReadOnly, Weights.Data, dCols.Span, m, Filters, Window);
        RowBlocks.Run(rows, Positions * Window, new Col2Im(this, dCols.Data, inputGradient.Data));
    }

    /// <summary>The column matrices beside Z and A: cols (N·P × C·kh·kw), the product in position-major order
    /// (N·P × filters; ∂L/∂Z in that order on the way back) and, for training, dCols.</summary>
    private sealed class Buffers : LayerBuffers
    {
        private readonly int _positions;

        public Buffers(int maxRows, Conv2d layer, bool withGradients) : base(maxRows, layer.Output.Size, withGradients)
        {
            _positions = layer.Positions;
            Cols = new Matrix(maxRows * _positions, layer.Window);
            Positioned = new Matrix(maxRows * _positions, layer.Filters);
            DCols = withGradients ? new Matrix(maxRows * _positions, layer.Window) : null;
        }

        public Matrix Cols { get; }
        public Matrix Positioned { get; }
        public Matrix? DCols { get; }

        public override void SetRows(int rows)
        {
            base.SetRows(rows);
            Cols.SetRows(rows * _positions);
            Positioned.SetRows(rows * _positions);
            DCols?.SetRows(rows * _positions);
        }
    }

    /// <summary>Samples [r0, r1): each output position's window (c, ky, kx), zero where it falls in the padding.</summary>
    private readonly struct Im2Col(Conv2d layer, float[] input, float[] cols) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            Shape s = layer.Input;
            var (kh, kw) = layer.Kernel; var (sh, sw) = layer.Stride; var (ph, pw) = layer.Padding;
            int oh = layer.Output.Height, ow = layer.Output.Width, window = layer.Window, plane = s.Height * s.Width;
            for (int n = r0; n < r1; n++)
            {
                ReadOnlySpan<float> x = input.AsSpan(n * s.Size, s.Size);
                int o = n * oh * ow * window;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        Span<float> row = cols.AsSpan(o, window);
                        o += window;
                        int i = 0;
                        for (int c = 0; c < s.Channels; c++)
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int y = oy * sh - ph + ky, x0 = ox * sw - pw;
                                if ((uint)y >= (uint)s.Height) { row.Slice(i, kw).Clear(); i += kw; continue; }
                                int src = c * plane + y * s.Width;
                                if (x0 >= 0 && x0 + kw <= s.Width) { x.Slice(src + x0, kw).CopyTo(row.Slice(i, kw)); i += kw; continue; }
                                for (int kx = 0; kx < kw; kx++, i++)
                                {
                                    int xx = x0 + kx;
                                    row[i] = (uint)xx < (uint)s.Width ? x[src + xx] : 0f;
                                }
                            }
                    }
            }
        }
    }

    /// <summary>Samples [r0, r1): dX = Σ of every window's dCols over the positions it covers, in position order.</summary>
    private readonly struct Col2Im(Conv2d layer, float[] dCols, float[] dInput) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            Shape s = layer.Input;
            var (kh, kw) = layer.Kernel; var (sh, sw) = layer.Stride; var (ph, pw) = layer.Padding;
            int oh = layer.Output.Height, ow = layer.Output.Width, window = layer.Window, plane = s.Height * s.Width;
            for (int n = r0; n < r1; n++)
            {
                Span<float> dx = dInput.AsSpan(n * s.Size, s.Size);
                dx.Clear();
                int o = n * oh * ow * window;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        ReadOnlySpan<float> row = dCols.AsSpan(o, window);
                        o += window;
                        int i = 0;
                        for (int c = 0; c < s.Channels; c++)
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int y = oy * sh - ph + ky, x0 = ox * sw - pw;
                                if ((uint)y >= (uint)s.Height) { i += kw; continue; }
                                int dst = c * plane + y * s.Width;
                                for (int kx = 0; kx < kw; kx++, i++)
                                {
                                    int xx = x0 + kx;
                                    if ((uint)xx < (uint)s.Width) dx[dst + xx] += row[i];
                                }
                            }
                    }
            }
        }
    }

    /// <summary>Samples [r0, r1): Z[n, f, p] = product[n·P + p, f] + b[f], then A = f(Z).</summary>
    private readonly struct ToChannels(float[] positioned, float[] z, float[] a, float[] bias, int positions, IActivation activation) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            int filters = bias.Length, size = filters * positions;
            for (int n = r0; n < r1; n++)
            {
                int src = n * size, dst = n * size;
                for (int f = 0; f < filters; f++)
                {
                    float bf = bias[f];
                    for (int p = 0; p < positions; p++) z[dst + f * positions + p] = positioned[src + p * filters + f] + bf;
                }
            }
            int count = (r1 - r0) * size;
            activation.Forward(z.AsSpan(r0 * size, count), a.AsSpan(r0 * size, count), size);
        }
    }

    /// <summary>Samples [r0, r1): product-order[n·P + p, f] = dZ[n, f, p].</summary>
    private readonly struct ToPositions(float[] dz, float[] positioned, int filters, int positions) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            int size = filters * positions;
            for (int n = r0; n < r1; n++)
            {
                int b = n * size;
                for (int f = 0; f < filters; f++)
                    for (int p = 0; p < positions; p++) positioned[b + p * filters + f] = dz[b + f * positions + p];
            }
        }
    }
}
