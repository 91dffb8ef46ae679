using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Optimizers;

/// <summary>
/// Base of the gradient-descent family, after torch.optim: one call to <see cref="Step"/> per batch, the
/// rule applied element-wise to every parameter tensor, each with its own state tensors created lazily
/// on the first step. Weight decay (classic L2, PyTorch's <c>weight_decay</c>) adds wd·θ to the gradient
/// inside the update; the parameters' Grad buffers are never modified.
/// </summary>
public abstract class Optimizer
{
    private float[][][]? _state; // [parameter][slot][element]
    private double _learningRate;

    protected Optimizer(double learningRate, double weightDecay)
    {
        LearningRate = learningRate;
        WeightDecay = Hyper.NonNegative("weightDecay", weightDecay);
    }

    /// <summary>The spec name ("sgd", "adam", …).</summary>
    public abstract string Name { get; }

    /// <summary>Current learning rate; schedules change it between epochs.</summary>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = Hyper.Positive("learningRate", value);
    }

    public double WeightDecay { get; }

    /// <summary>t: the number of updates applied so far (1 during the first update).</summary>
    public long StepCount { get; private set; }

    /// <summary>State tensors per parameter (momentum buffer, squared-gradient average, …).</summary>
    public abstract int SlotsPerParameter { get; }

    /// <summary>
    /// Applies one update to every parameter from its Grad. With <see cref="Kernels.Threads"/> &gt; 1 and enough
    /// elements, the tensors are cut into fixed chunks that the kernel workers update side by side: every rule here
    /// is element-wise, so each element gets the same operations whichever thread runs its chunk (bit-identical for
    /// any thread count).
    /// </summary>
    public void Step(IReadOnlyList<Parameter> parameters) => Step(parameters, null);

    /// <summary>
    /// <see cref="Step(IReadOnlyList{Parameter})"/>, also writing ‖g‖² of each tensor's gradient (as given, before
    /// weight decay) into <paramref name="squaredNorms"/>[i] — exactly <see cref="SquaredNorm"/>(Grad): each chunk's
    /// sum is taken right after its update, while the chunk is still in cache, and the chunks' sums are added in
    /// order, so the value does not depend on the thread count either. Saves the separate pass over every gradient
    /// that the per-step norms would cost.
    /// </summary>
    public void Step(IReadOnlyList<Parameter> parameters, double[]? squaredNorms)
    {
        _state ??= CreateState(parameters);
        if (_state.Length != parameters.Count) throw new InvalidOperationException("the optimizer was created for a different parameter list");
        if (squaredNorms is not null && squaredNorms.Length < parameters.Count)
            throw new ArgumentException($"room for {parameters.Count} norms needed, got {squaredNorms.Length}", nameof(squaredNorms));
        StepCount++;
        if (!ReferenceEquals(parameters, _chunked)) PlanChunks(parameters);
        // The same chunks on one thread or several (with one thread they run in order on this one).
        int threads = Kernels.Threads > 1 && Total(parameters) >= ParallelElements ? Kernels.Threads : 1;
        Parts.Run(_chunks.Length, threads, new UpdateChunks(this, parameters, _state, _chunks, squaredNorms is null ? null : _chunkSquares));
        if (squaredNorms is not null)
        {
            // Each tensor's ‖g‖²: its chunks' sums added in chunk order.
            Array.Clear(squaredNorms, 0, parameters.Count);
            for (int c = 0; c < _chunks.Length; c++) squaredNorms[_chunks[c].Parameter] += _chunkSquares[c];
        }
    }

    /// <summary>‖g‖² as <see cref="Step(IReadOnlyList{Parameter}, double[])"/> reports it: the sums of squares of
    /// consecutive <see cref="ChunkElements"/>-element chunks, added in order.</summary>
    public static double SquaredNorm(ReadOnlySpan<float> g)
    {
        double squares = 0;
        for (int start = 0; start < g.Length; start += ChunkElements)
            squares += Kernels.SumOfSquares(g.Slice(start, Math.Min(ChunkElements, g.Length - start)));
        return squares;
    }

    /// <summary>Below this many elements in all tensors together an update runs on the calling thread alone.</summary>
    internal const int ParallelElements = 1 << 16;

    /// <summary>Elements per chunk of the parallel update (a multiple of every vector width).</summary>
    internal const int ChunkElements = 1 << 14;

    // The chunks of the parameter list last stepped (it is the same list every step): they depend on its sizes alone.
    private IReadOnlyList<Parameter>? _chunked;
    private (int Parameter, int Start, int Length)[] _chunks = [];
    private double[] _chunkSquares = [];

    private static long Total(IReadOnlyList<Parameter> parameters)
    {
        long n = 0;
        for (int i = 0; i < parameters.Count; i++) n += parameters[i].Length;
        return n;
    }

    /// <summary>Cuts every tensor into consecutive <see cref="ChunkElements"/>-element chunks, tensor by tensor.</summary>
    private void PlanChunks(IReadOnlyList<Parameter> parameters)
    {
        var chunks = new List<(int, int, int)>();
        for (int p = 0; p < parameters.Count; p++)
            for (int start = 0; start < parameters[p].Length; start += ChunkElements)
                chunks.Add((p, start, Math.Min(ChunkElements, parameters[p].Length - start)));
        (_chunks, _chunkSquares, _chunked) = (chunks.ToArray(), new double[chunks.Count], parameters);
    }

    /// <summary>Part c = the update of chunk c, and, when <c>squares</c> is given, its ‖g‖² into squares[c].</summary>
    private readonly struct UpdateChunks(Optimizer owner, IReadOnlyList<Parameter> parameters, float[][][] state,
        (int Parameter, int Start, int Length)[] chunks, double[]? squares) : IPartOp
    {
        public void Run(int part)
        {
            var (p, start, length) = chunks[part];
            var parameter = parameters[p];
            owner.Update(parameter.Data.AsSpan(start, length), parameter.Grad.AsSpan(start, length), new StateSlots(state[p], start, length));
            if (squares is not null) squares[part] = Kernels.SumOfSquares(parameter.Grad.AsSpan(start, length));
        }
    }

    /// <summary>One update of θ from g for one tensor, or one chunk of it; <paramref name="state"/> holds the same range
    /// of its slots.</summary>
    protected abstract void Update(Span<float> theta, ReadOnlySpan<float> grad, StateSlots state);

    /// <summary>The state slots of one tensor, restricted to the range being updated.</summary>
    protected readonly struct StateSlots(float[][] slots, int offset, int length)
    {
        public Span<float> this[int slot] => slots[slot].AsSpan(offset, length);
    }

    /// <summary>Initial value of a state slot (0 unless the algorithm says otherwise).</summary>
    protected virtual float InitialStateValue(int slot) => 0f;

    private float[][][] CreateState(IReadOnlyList<Parameter> parameters)
    {
        var state = new float[parameters.Count][][];
        for (int i = 0; i < parameters.Count; i++)
        {
            state[i] = new float[SlotsPerParameter][];
            for (int s = 0; s < SlotsPerParameter; s++)
            {
                state[i][s] = new float[parameters[i].Length];
                float init = InitialStateValue(s);
                if (init != 0f) Array.Fill(state[i][s], init);
            }
        }
        return state;
    }

    /// <summary>A deep copy of t, the learning rate and every state tensor, for checkpoints.</summary>
    public OptimizerState ExportState() => new(StepCount, LearningRate, _state is null ? null : DeepCopy(_state));

    public void ImportState(OptimizerState state)
    {
        StepCount = state.StepCount;
        LearningRate = state.LearningRate;
        _state = state.Slots is null ? null : DeepCopy(state.Slots);
    }

    private static float[][][] DeepCopy(float[][][] s)
    {
        var copy = new float[s.Length][][];
        for (int i = 0; i < s.Length; i++)
        {
            copy[i] = new float[s[i].Length][];
            for (int j = 0; j < s[i].Length; j++) copy[i][j] = (float[])s[i][j].Clone();
        }
        return copy;
    }
}

/// <summary>Everything an optimizer carries between steps.</summary>
public sealed record OptimizerState(long StepCount, double LearningRate, float[][][]? Slots);
