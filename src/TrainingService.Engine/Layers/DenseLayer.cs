using TrainingService.Engine.Activations;
using System.Runtime.CompilerServices;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>
/// A fully connected layer followed by its activation: Z = H·Wᵀ + b, A = f(Z), with W stored as PyTorch's
/// nn.Linear.weight (Outputs × Inputs). Forward and backward sit side by side.
/// </summary>
public sealed class DenseLayer
{
    public DenseLayer(int index, int inputs, int outputs, IActivation activation)
    {
        Inputs = inputs;
        Outputs = outputs;
        Activation = activation;
        Weights = new Parameter($"layers[{index}].weight", outputs, inputs);
        Bias = new Parameter($"layers[{index}].bias", 1, outputs);
    }

    public int Inputs { get; }
    public int Outputs { get; }
    public IActivation Activation { get; }
    public Parameter Weights { get; }
    public Parameter Bias { get; }

    /// <summary>Z = H·Wᵀ + b; A = f(Z). <paramref name="z"/> and <paramref name="a"/> must have H's row count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(Matrix h, Matrix z, Matrix a)
    {
        int rows = h.Rows;
        Kernels.MatMulTransB(h.ReadOnly, Weights.Data, z.Span, rows, Inputs, Outputs);
        var tail = BiasActivationJob.ForThisThread;
        (tail.Layer, tail.Z, tail.A) = (this, z.Data, a.Data);
        try { tail.Execute(rows, Outputs); }
        finally { (tail.Layer, tail.Z, tail.A) = (null, null, null); }
    }

    /// <summary>Z += b, then A = f(Z), row block by row block (one pass over the block while it is in cache).</summary>
    private sealed class BiasActivationJob : RowBlockJob
    {
        [ThreadStatic] private static BiasActivationJob? _forThisThread;
        public static BiasActivationJob ForThisThread => _forThisThread ??= new BiasActivationJob();

        public DenseLayer? Layer;
        public float[]? Z, A;

        protected override void RunRows(int r0, int r1)
        {
            int n = Layer!.Outputs, count = (r1 - r0) * n;
            Span<float> z = Z.AsSpan(r0 * n, count);
            Kernels.AddRowVector(z, Layer.Bias.Data, r1 - r0);
            Layer.Activation.Forward(z, A.AsSpan(r0 * n, count), n);
        }
    }

    /// <summary>
    /// Given dZ for this layer, writes dW = dZᵀ·H and db = Σ_rows dZ (overwriting), and, when
    /// <paramref name="dH"/> is not null, dH = dZ·W for the layer below.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(Matrix h, Matrix dZ, Matrix? dH)
    {
        int rows = h.Rows;
        Kernels.MatMulTransA(dZ.ReadOnly, h.ReadOnly, Weights.Grad, Outputs, rows, Inputs);
        Kernels.SumRows(dZ.ReadOnly, Bias.Grad, rows);
        if (dH is not null) Kernels.MatMul(dZ.ReadOnly, Weights.Data, dH.Span, rows, Outputs, Inputs);
    }
}
