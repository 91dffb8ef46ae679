using TrainingService.Engine.Vocabulary;
using System.Numerics.Tensors;
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

    /// <summary>
    /// Samples are taken a few at a time (<see cref="ChunkSamples"/>): a chunk's columns, product and dCols stay in a
    /// core's L2 cache between im2col, the product and col2im, which over the whole batch (14 MB of columns for the small
    /// CNN's second layer) ran at memory speed — im2col and col2im 3× slower per sample, the products ≈ 25 % slower.
    /// The chunks fall into a few groups (<see cref="Groups"/>) that threads take whole, each running its chunks in
    /// order on one thread with the single-threaded kernels; with one group (or one thread) the chunks run in order and
    /// each kernel uses the threads instead. The backward pass redoes a chunk's im2col (at L2 speed, cheaper than reading
    /// it back); a group adds its chunks' dWᵀ in order, and the groups' sums are added in group order: the result
    /// depends on the batch and the layer's shape, never on the threads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(Matrix input, LayerBuffers buffers) => RunGroups(new Pass(this, (Buffers)buffers, input, null, null, Forward: true), input.Rows);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(Matrix input, LayerBuffers buffers, Matrix? inputGradient)
    {
        var b = (Buffers)buffers;
        Matrix dZ = b.DZ ?? throw new InvalidOperationException("the workspace was created without gradients");
        int groups = RunGroups(new Pass(this, b, input, dZ, inputGradient, Forward: false), input.Rows);
        // dWᵀ = Σ over groups in order, then into W's layout.
        int size = Window * Filters;
        Span<float> sum = b.WeightGradients.AsSpan(0, size);
        for (int g = 1; g < groups; g++) TensorPrimitives.Add(sum, b.WeightGradients.AsSpan(g * size, size), sum);
        Transpose(b.WeightGradients, Weights.Grad, Window, Filters);
        BiasGradient(b.SampleSums, input.Rows);
    }

    /// <summary>Samples a chunk holds: as many as keep its columns, product and dCols within 1 MB (one L2 cache here), at
    /// least one. Depends on the layer's shape only.
    /// Measured (bench layers small, thread CPU): budgets of 256 KB to 4 MB all within 3 % of each other, against the
    /// whole batch's 20 % slower step.</summary>
    public int ChunkSamples => (int)Math.Max(1, (1L << 18) / ((long)Positions * (2 * Window + Filters)));

    /// <summary>Groups for <paramref name="rows"/> samples: one per chunk, up to <see cref="Regions"/>.</summary>
    public int Groups(int rows) => Math.Clamp((rows + ChunkSamples - 1) / ChunkSamples, 1, Regions);

    /// <summary>Groups that may run at once, each with its own region of the buffers and its own dWᵀ: up to 8 (so up to
    /// 8 threads share a batch), fewer when those would pass 8 MB of regions or of dWᵀ sums. Depends on the layer's
    /// shape only, so a workspace's memory is this fixed part plus the feature maps of its rows.</summary>
    private int Regions
    {
        get
        {
            long region = (long)ChunkSamples * Positions * (2 * Window + Filters), sum = (long)Window * Filters;
            return (int)Math.Clamp(Math.Min((1L << 21) / region, (1L << 21) / sum), 1, MaxGroups);
        }
    }

    private const int MaxGroups = 8;

    /// <summary>Runs <paramref name="pass"/> over the groups of <paramref name="rows"/> samples; returns how many.</summary>
    private int RunGroups(in Pass pass, int rows)
    {
        int groups = Groups(rows), threads = Kernels.Threads;
        if (groups >= 2 && threads >= 2) Parts.Run(groups, threads, pass with { Rows = rows, Groups = groups, Inner = 1 });
        else
        {
            var sequential = pass with { Rows = rows, Groups = groups, Inner = threads };
            for (int g = 0; g < groups; g++) sequential.Run(g);
        }
        return groups;
    }

    /// <summary>One group of a forward or backward pass: its chunks in order, in its own region of the buffers, with
    /// kernels on <see cref="Inner"/> threads.</summary>
    private readonly record struct Pass(Conv2d Layer, Buffers B, Matrix Input, Matrix? DZ, Matrix? InputGradient, bool Forward) : IPartOp
    {
        public int Rows { get; init; }
        public int Groups { get; init; }
        public int Inner { get; init; }

        public void Run(int group)
        {
            Conv2d l = Layer;
            int chunk = l.ChunkSamples, chunks = (Rows + chunk - 1) / chunk;
            int c0 = (int)((long)chunks * group / Groups), c1 = (int)((long)chunks * (group + 1) / Groups);
            int window = l.Window, filters = l.Filters, positions = l.Positions;
            long region = (long)chunk * positions;
            int cols = (int)(group * window * region), product = (int)(group * filters * region);
            float[] dWt = B.WeightGradients;
            for (int c = c0; c < c1; c++)
            {
                int n0 = c * chunk, count = Math.Min(chunk, Rows - n0), columns = count * positions;
                Samples(count, positions * window, new Im2Col(l, Input.Data, B.ColsData, cols, n0, columns));
                if (Forward)
                {
                    Kernels.MatMul(l.Weights.Data, B.ColsData.AsSpan(cols, window * columns), B.ProductData.AsSpan(product, filters * columns),
                        filters, window, columns, false, Inner);
                    Samples(count, l.Output.Size, new ToSamples(B.ProductData, product, B.Z.Data, B.A.Data, l.Bias.Data, positions, n0, columns, l.Activation));
                    continue;
                }
                // ∂L/∂Z (N×F×P) → filters × the chunk's positions, the layout of the forward product.
                Samples(count, l.Output.Size, new ToFilters(DZ!.Data, B.ProductData, product, B.SampleSums, positions, n0, columns, filters));
                // dWᵀ (+)= cols·dZᵀ (C·kh·kw × filters): the filters are the product's columns, as the micro-tiles like them wide.
                Kernels.MatMulTransB(B.ColsData.AsSpan(cols, window * columns), B.ProductData.AsSpan(product, filters * columns),
                    dWt.AsSpan(group * window * filters, window * filters), window, columns, filters, c > c0, Inner);
                if (InputGradient is null) continue;
                Kernels.MatMulTransA(l.Weights.Data, B.ProductData.AsSpan(product, filters * columns), B.DColsData.AsSpan(cols, window * columns),
                    window, filters, columns, false, Inner);
                Samples(count, positions * window, new Col2Im(l, B.DColsData, cols, InputGradient.Data, n0, columns));
            }
        }

        private void Samples<TOp>(int count, int cols, in TOp op) where TOp : struct, IRowBlockOp
        {
            if (Inner == 1) op.RunRows(0, count);
            else RowBlocks.Run(count, cols, op);
        }
    }

    /// <summary>db[f] = Σ over samples, in order, of Σ_p ∂L/∂Z[n, f, p] (each taken in double by <see cref="ToFilters"/>).</summary>
    private void BiasGradient(double[] sampleSums, int rows)
    {
        for (int f = 0; f < Filters; f++)
        {
            double sum = 0;
            for (int n = 0; n < rows; n++) sum += sampleSums[n * Filters + f];
            Bias.Grad[f] = (float)sum;
        }
    }

    private static void Transpose(float[] source, float[] destination, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) destination[c * rows + r] = source[r * cols + c];
    }

    /// <summary>The column buffers beside Z and A, one region per group that may run at once (<see cref="Regions"/>), each a fixed number of
    /// rows × the positions of a chunk of samples: cols (C·kh·kw rows: one per window offset, a column per output position
    /// of each sample of the chunk), the product (filters rows; ∂L/∂Z in that order on the way back) and, for training,
    /// dCols; each group's dWᵀ, and the per-sample sums of db.</summary>
    private sealed class Buffers : LayerBuffers
    {
        private readonly Conv2d _layer;
        private readonly bool _gradients;

        public Buffers(int maxRows, Conv2d layer, bool withGradients) : base(maxRows, layer.Output.Size, withGradients)
        {
            (_layer, _gradients) = (layer, withGradients);
            Size(maxRows);
        }

        public float[] ColsData { get; private set; } = [];
        public float[] ProductData { get; private set; } = [];
        public float[] DColsData => _dCols ?? throw new InvalidOperationException("the workspace was created without gradients");
        private float[]? _dCols;
        /// <summary>Each group's dWᵀ (C·kh·kw × filters), group after group; the sum ends up in the first.</summary>
        public float[] WeightGradients { get; private set; } = [];
        /// <summary>Σ_p ∂L/∂Z[n, f, p] per sample and filter, for db.</summary>
        public double[] SampleSums { get; private set; } = [];

        public override long Floats => base.Floats + ColsData.LongLength + ProductData.LongLength + (_dCols?.LongLength ?? 0) +
            WeightGradients.LongLength + 2L * SampleSums.LongLength;

        public override void SetRows(int rows)
        {
            base.SetRows(rows);
            Size(rows);
        }

        /// <summary>Grows the buffers (never shrinks them) to what <paramref name="rows"/> samples need.</summary>
        private void Size(int rows)
        {
            Conv2d l = _layer;
            long regions = l.Regions, chunkColumns = (long)l.ChunkSamples * l.Positions;
            if (regions * l.Window * chunkColumns > ColsData.Length) ColsData = new float[regions * l.Window * chunkColumns];
            if (regions * l.Filters * chunkColumns > ProductData.Length) ProductData = new float[regions * l.Filters * chunkColumns];
            if (_gradients && regions * l.Window * chunkColumns > (_dCols?.Length ?? 0)) _dCols = new float[regions * l.Window * chunkColumns];
            if (_gradients && regions * l.Window * l.Filters > WeightGradients.Length) WeightGradients = new float[regions * l.Window * l.Filters];
            if (_gradients && (long)rows * l.Filters > SampleSums.Length) SampleSums = new double[rows * l.Filters];
        }
    }

    /// <summary>Samples first + [r0, r1) of a chunk: row (c, ky, kx) of cols, columns n·P + p = the input under that offset of each output
    /// position p, zero where it falls in the padding. With stride 1 a row of outputs reads a run of the input row.</summary>
    private readonly unsafe struct Im2Col(Conv2d layer, float[] input, float[] cols, int offset, int first, int columns) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            Shape s = layer.Input;
            var (kh, kw) = layer.Kernel; var (sh, sw) = layer.Stride; var (ph, pw) = layer.Padding;
            int oh = layer.Output.Height, ow = layer.Output.Width, positions = oh * ow, plane = s.Height * s.Width;
            fixed (float* px = input, pc = cols)
                for (int n = r0; n < r1; n++)
                {
                    float* x = px + (long)(first + n) * s.Size;
                    int row = 0;
                    for (int c = 0; c < s.Channels; c++)
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++, row++)
                            {
                                float* dst = pc + offset + (long)row * columns + (long)n * positions;
                                // outputs ox with 0 ≤ ox·sw + x0 < width read the input; the rest are padding
                                var (x0, lo, hi) = Reach(kx, pw, sw, s.Width, ow);
                                for (int oy = 0; oy < oh; oy++, dst += ow)
                                {
                                    int y = oy * sh - ph + ky;
                                    bool inside = (uint)y < (uint)s.Height;
                                    float* src = x + c * plane + (inside ? y : 0) * s.Width + x0;
                                    // the rest of this sample's positions follow: a store may spill into them
                                    if (sw == 1) Kernels.CopyWindow(src, dst, ow, inside ? lo : 0, inside ? hi : 0, positions - (oy + 1) * ow);
                                    else for (int ox = 0; ox < ow; ox++) dst[ox] = inside && ox >= lo && ox < hi ? src[ox * sw] : 0f;
                                }
                            }
                }
        }
    }

    /// <summary>Kernel column kx reads input column ox·sw + x0 (x0 = kx − padding) for outputs lo ≤ ox &lt; hi; the
    /// others fall in the padding.</summary>
    private static (int X0, int Lo, int Hi) Reach(int kx, int padding, int stride, int width, int outputs)
    {
        int x0 = kx - padding;
        int lo = x0 >= 0 ? 0 : (-x0 + stride - 1) / stride;
        int hi = width - 1 - x0 < 0 ? 0 : Math.Min(outputs, (width - 1 - x0) / stride + 1);
        return (x0, lo, Math.Max(lo, hi));
    }

    /// <summary>Samples first + [r0, r1) of a chunk: dX = Σ over the window offsets (c, ky, kx), in order, of that row of dCols added
    /// under the positions it came from.</summary>
    private readonly struct Col2Im(Conv2d layer, float[] dCols, int offset, float[] dInput, int first, int columns) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            Shape s = layer.Input;
            var (kh, kw) = layer.Kernel; var (sh, sw) = layer.Stride; var (ph, pw) = layer.Padding;
            int oh = layer.Output.Height, ow = layer.Output.Width, positions = oh * ow, plane = s.Height * s.Width;
            for (int n = r0; n < r1; n++)
            {
                Span<float> dx = dInput.AsSpan((first + n) * s.Size, s.Size);
                dx.Clear();
                int row = 0;
                for (int c = 0; c < s.Channels; c++)
                    for (int ky = 0; ky < kh; ky++)
                        for (int kx = 0; kx < kw; kx++, row++)
                        {
                            ReadOnlySpan<float> src = dCols.AsSpan(offset + row * columns + n * positions, positions);
                            int x0 = kx - pw;
                            int lo = x0 >= 0 ? 0 : (-x0 + sw - 1) / sw, hi = Math.Min(ow, (s.Width - 1 - x0) / sw + 1);
                            if (s.Width - 1 - x0 < 0 || hi <= lo) continue;
                            for (int oy = 0; oy < oh; oy++)
                            {
                                int y = oy * sh - ph + ky;
                                if ((uint)y >= (uint)s.Height) continue;
                                int dst = c * plane + y * s.Width + x0;
                                ReadOnlySpan<float> g = src.Slice(oy * ow + lo, hi - lo);
                                if (sw == 1)
                                {
                                    Span<float> d = dx.Slice(dst + lo, hi - lo);
                                    TensorPrimitives.Add(d, g, d);
                                }
                                else for (int i = 0; i < g.Length; i++) dx[dst + (lo + i) * sw] += g[i];
                            }
                        }
            }
        }
    }

    /// <summary>Samples first + [r0, r1) of a chunk: Z[n, f, :] = product[f, (n − first)·P …] + b[f], then A = f(Z).</summary>
    private readonly struct ToSamples(float[] product, int offset, float[] z, float[] a, float[] bias, int positions, int first, int columns, IActivation activation) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            int filters = bias.Length, size = filters * positions;
            for (int n = r0; n < r1; n++)
                for (int f = 0; f < filters; f++)
                    TensorPrimitives.Add(product.AsSpan(offset + f * columns + n * positions, positions), bias[f], z.AsSpan((first + n) * size + f * positions, positions));
            int start = (first + r0) * size, count = (r1 - r0) * size;
            activation.Forward(z.AsSpan(start, count), a.AsSpan(start, count), size);
        }
    }

    /// <summary>Samples first + [r0, r1) of a chunk: product-order[f, (n − first)·P + p] = dZ[n, f, p], and each (n, f)'s
    /// Σ_p in double on the way.</summary>
    private readonly struct ToFilters(float[] dz, float[] product, int offset, double[] sampleSums, int positions, int first, int columns, int filters) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            int size = filters * positions;
            for (int n = r0; n < r1; n++)
                for (int f = 0; f < filters; f++)
                {
                    ReadOnlySpan<float> g = dz.AsSpan((first + n) * size + f * positions, positions);
                    g.CopyTo(product.AsSpan(offset + f * columns + n * positions, positions));
                    sampleSums[(first + n) * filters + f] = Kernels.Sum(g);
                }
        }
    }
}
