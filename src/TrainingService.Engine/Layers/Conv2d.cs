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
public sealed partial class Conv2d : ILayer
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
    /// it back) unless every chunk had a region of its own, where the columns (which depend on the input alone) are
    /// still as the forward pass left them; a group adds its chunks' dWᵀ in order, and the groups' sums are added in group order: the result
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
}
