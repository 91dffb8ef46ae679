using TrainingService.Engine.Activations;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>
/// A sequential stack of <see cref="ILayer"/>s (torch.nn.Sequential): each layer's output feeds the next, and the
/// container knows nothing about any one kind. Batches are matrices (rows = samples); intermediate buffers live in a
/// <see cref="Workspace"/> so the training loop allocates nothing per step.
/// </summary>
public sealed class Network
{
    private readonly ILayer[] _layers;
    private readonly Parameter[] _parameters;
    private readonly int[] _layerOfParameter;

    /// <summary>The stack <paramref name="layers"/>, in order; each layer's input shape must be the previous one's output.</summary>
    public Network(IReadOnlyList<ILayer> layers)
    {
        if (layers.Count == 0) throw new ArgumentException("a network needs at least one layer", nameof(layers));
        for (int l = 1; l < layers.Count; l++)
            if (layers[l].Input != layers[l - 1].Output)
                throw new ArgumentException($"layers[{l}]: its input is {layers[l].Input}, but layers[{l - 1}] outputs {layers[l - 1].Output}", nameof(layers));
        _layers = [.. layers];
        _parameters = [.. _layers.SelectMany(l => l.Parameters)];
        _layerOfParameter = [.. _layers.SelectMany((l, i) => l.Parameters.Select(_ => i))];
    }

    /// <summary>A multilayer perceptron: one <see cref="Dense"/> layer per pair of consecutive sizes.</summary>
    /// <param name="sizes">[inputs, hidden…, outputs]</param>
    /// <param name="activations">one per layer; the last is the output activation</param>
    public Network(IReadOnlyList<int> sizes, IReadOnlyList<IActivation> activations) : this(Perceptron(sizes, activations)) { }

    private static ILayer[] Perceptron(IReadOnlyList<int> sizes, IReadOnlyList<IActivation> activations)
    {
        if (sizes.Count < 2) throw new ArgumentException("a network needs at least an input and an output size", nameof(sizes));
        if (activations.Count != sizes.Count - 1) throw new ArgumentException($"expected {sizes.Count - 1} activations, got {activations.Count}", nameof(activations));
        var layers = new ILayer[sizes.Count - 1];
        for (int l = 0; l < layers.Length; l++)
        {
            if (sizes[l] < 1 || sizes[l + 1] < 1) throw new ArgumentException($"layer sizes must be positive, got {sizes[l]}→{sizes[l + 1]}", nameof(sizes));
            layers[l] = new Dense(l, sizes[l], sizes[l + 1], activations[l]);
        }
        return layers;
    }

    public IReadOnlyList<ILayer> Layers => _layers;
    /// <summary>Every layer's parameters in layer order (W₁, b₁, W₂, b₂, … for a perceptron).</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;
    /// <summary>The index in <see cref="Layers"/> of the layer that owns <see cref="Parameters"/>[<paramref name="parameter"/>]
    /// (per-layer figures such as gradient norms group the parameters with it; a layer may own none).</summary>
    public int LayerOf(int parameter) => _layerOfParameter[parameter];

    public Shape InputShape => _layers[0].Input;
    public Shape OutputShape => _layers[^1].Output;
    public int Inputs => InputShape.Size;
    public int Outputs => OutputShape.Size;
    public IActivation OutputActivation => _layers[^1].Activation;

    public long ParameterCount
    {
        get { long n = 0; foreach (var p in _parameters) n += p.Length; return n; }
    }

    /// <summary>Initialises every layer with <paramref name="scheme"/>, layer by layer, from one RNG stream.</summary>
    public void Initialize(string scheme, Rng rng)
    {
        foreach (var layer in _layers) layer.Initialize(scheme, rng);
    }

    /// <summary>Runs the batch <paramref name="input"/> through every layer; returns the output activations (a workspace buffer).</summary>
    public Matrix Forward(Matrix input, Workspace ws)
    {
        ws.EnsureRows(input.Rows);
        Matrix h = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].Forward(h, ws.Buffers[l]);
            h = ws.Buffers[l].A;
        }
        return h;
    }

    /// <summary>
    /// Backpropagates from dZ of the output layer (which the loss wrote into <c>ws.DZ[^1]</c>) after a
    /// <see cref="Forward"/> of the same batch, writing every parameter's Grad. Below the output layer, each layer's
    /// ∂L/∂A (the input gradient of the layer above) goes through its activation's derivative first.
    /// </summary>
    public void Backward(Matrix input, Workspace ws)
    {
        int rows = input.Rows;
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            LayerBuffers b = ws.Buffers[l];
            if (l < _layers.Length - 1)
                RowBlocks.Run(rows, b.Z.Cols, new ActivationBackward(_layers[l].Activation, b.Z.Data, b.A.Data, b.DA!.Data, b.DZ!.Data, b.Z.Cols));
            _layers[l].Backward(l == 0 ? input : ws.Buffers[l - 1].A, b, l == 0 ? null : ws.Buffers[l - 1].DA);
        }
    }

    /// <summary>Buffers for one batch size; <paramref name="withGradients"/> false gives an evaluation-only workspace.</summary>
    public Workspace CreateWorkspace(int maxRows, bool withGradients) => new(this, maxRows, withGradients);

    /// <summary>
    /// A forward-only workspace for as many rows as fit <paramref name="budgetFloats"/> with their input (at least 1, at
    /// most <paramref name="maxRows"/>), and that row count: feature maps cost channels × height × width floats per row,
    /// so an evaluation chunk sized for perceptrons (512 rows) would hold hundreds of megabytes for a CNN. What a
    /// workspace holds whatever its rows (a convolution's chunk buffers) is counted once: the workspace is measured at 1
    /// and 2 rows, then grown to the count.
    /// </summary>
    public (Workspace Workspace, int Rows) CreateWorkspaceWithin(long budgetFloats, int maxRows)
    {
        var ws = CreateWorkspace(1, withGradients: false);
        long one = ws.Floats + Inputs;
        ws.EnsureRows(2);
        long perRow = Math.Max(1, ws.Floats + 2L * Inputs - one), fixedFloats = Math.Max(0, one - perRow);
        int rows = (int)Math.Clamp((budgetFloats - fixedFloats) / perRow, 1, Math.Max(1, maxRows));
        ws.EnsureRows(rows);
        return (ws, rows);
    }

    /// <summary>Copies all parameters into one flat vector (layer order W₁, b₁, W₂, …).</summary>
    public float[] GetFlatParameters()
    {
        var flat = new float[ParameterCount];
        CopyParametersTo(flat);
        return flat;
    }

    /// <summary>Copies all parameters into <paramref name="flat"/> (layer order) without allocating.</summary>
    public void CopyParametersTo(Span<float> flat)
    {
        if (flat.Length != ParameterCount) throw new ArgumentException($"expected {ParameterCount} values, got {flat.Length}", nameof(flat));
        int o = 0;
        foreach (var p in _parameters) { p.Data.CopyTo(flat.Slice(o, p.Length)); o += p.Length; }
    }

    public void SetFlatParameters(ReadOnlySpan<float> flat)
    {
        if (flat.Length != ParameterCount) throw new ArgumentException($"expected {ParameterCount} values, got {flat.Length}", nameof(flat));
        int o = 0;
        foreach (var p in _parameters) { flat.Slice(o, p.Length).CopyTo(p.Data); o += p.Length; }
    }

    /// <summary>Rows [r0, r1): dZ = dA ⊙ f'(Z) of one layer.</summary>
    private readonly struct ActivationBackward(IActivation activation, float[] z, float[] a, float[] da, float[] dz, int cols) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            int start = r0 * cols, count = (r1 - r0) * cols;
            activation.Backward(z.AsSpan(start, count), a.AsSpan(start, count), da.AsSpan(start, count), dz.AsSpan(start, count));
        }
    }
}
