using TrainingService.Engine.Activations;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>
/// A multilayer perceptron: a stack of <see cref="DenseLayer"/>s. Batches are matrices (rows = samples);
/// intermediate buffers live in a <see cref="Workspace"/> so the training loop allocates nothing per step.
/// </summary>
public sealed class Network
{
    private readonly DenseLayer[] _layers;
    private readonly Parameter[] _parameters;

    /// <param name="sizes">[inputs, hidden…, outputs]</param>
    /// <param name="activations">one per layer; the last is the output activation</param>
    public Network(IReadOnlyList<int> sizes, IReadOnlyList<IActivation> activations)
    {
        if (sizes.Count < 2) throw new ArgumentException("a network needs at least an input and an output size", nameof(sizes));
        if (activations.Count != sizes.Count - 1) throw new ArgumentException($"expected {sizes.Count - 1} activations, got {activations.Count}", nameof(activations));
        _layers = new DenseLayer[sizes.Count - 1];
        _parameters = new Parameter[2 * _layers.Length];
        for (int l = 0; l < _layers.Length; l++)
        {
            if (sizes[l] < 1 || sizes[l + 1] < 1) throw new ArgumentException($"layer sizes must be positive, got {sizes[l]}→{sizes[l + 1]}", nameof(sizes));
            _layers[l] = new DenseLayer(l, sizes[l], sizes[l + 1], activations[l]);
            _parameters[2 * l] = _layers[l].Weights;
            _parameters[2 * l + 1] = _layers[l].Bias;
        }
    }

    public IReadOnlyList<DenseLayer> Layers => _layers;
    /// <summary>W₁, b₁, W₂, b₂, … in layer order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;
    public int Inputs => _layers[0].Inputs;
    public int Outputs => _layers[^1].Outputs;
    public IActivation OutputActivation => _layers[^1].Activation;

    public long ParameterCount
    {
        get { long n = 0; foreach (var p in _parameters) n += p.Length; return n; }
    }

    /// <summary>Initialises every layer with <paramref name="scheme"/>, layer by layer, from one RNG stream.</summary>
    public void Initialize(string scheme, Rng rng)
    {
        foreach (var layer in _layers) Initializer.Initialize(layer.Weights, layer.Bias, scheme, rng);
    }

    /// <summary>Runs the batch <paramref name="input"/> through every layer; returns the output activations (a workspace buffer).</summary>
    public Matrix Forward(Matrix input, Workspace ws)
    {
        ws.EnsureRows(input.Rows);
        Matrix h = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].Forward(h, ws.Z[l], ws.A[l]);
            h = ws.A[l];
        }
        return h;
    }

    /// <summary>
    /// Backpropagates from dZ of the output layer (which the loss wrote into <c>ws.DZ[^1]</c>) after a
    /// <see cref="Forward"/> of the same batch, writing every parameter's Grad.
    /// </summary>
    public void Backward(Matrix input, Workspace ws)
    {
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            Matrix h = l == 0 ? input : ws.A[l - 1];
            Matrix? dH = l == 0 ? null : ws.DA[l - 1];
            _layers[l].Backward(h, ws.DZ[l], dH);
            if (dH is not null)
            {
                var job = ActivationBackwardJob.ForThisThread;
                (job.Activation, job.Z, job.A, job.DA, job.DZ, job.Cols) =
                    (_layers[l - 1].Activation, ws.Z[l - 1].Data, ws.A[l - 1].Data, dH.Data, ws.DZ[l - 1].Data, _layers[l - 1].Outputs);
                try { job.Execute(input.Rows, job.Cols); }
                finally { (job.Activation, job.Z, job.A, job.DA, job.DZ) = (null, null, null, null, null); }
            }
        }
    }

    /// <summary>Buffers for one batch size; <paramref name="withGradients"/> false gives an evaluation-only workspace.</summary>
    public Workspace CreateWorkspace(int maxRows, bool withGradients) => new(this, maxRows, withGradients);

    /// <summary>Copies all parameters into one flat vector (layer order W₁, b₁, W₂, …).</summary>
    public float[] GetFlatParameters()
    {
        var flat = new float[ParameterCount];
        int o = 0;
        foreach (var p in _parameters) { p.Data.CopyTo(flat, o); o += p.Length; }
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

    /// <summary>dZ = dA ⊙ f'(z) for the layer below, row block by row block.</summary>
    private sealed class ActivationBackwardJob : RowBlockJob
    {
        [ThreadStatic] private static ActivationBackwardJob? _forThisThread;
        public static ActivationBackwardJob ForThisThread => _forThisThread ??= new ActivationBackwardJob();

        public IActivation? Activation;
        public float[]? Z, A, DA, DZ;
        public int Cols;

        protected override void RunRows(int r0, int r1)
        {
            int start = r0 * Cols, count = (r1 - r0) * Cols;
            Activation!.Backward(Z.AsSpan(start, count), A.AsSpan(start, count), DA.AsSpan(start, count), DZ.AsSpan(start, count));
        }
    }
}
