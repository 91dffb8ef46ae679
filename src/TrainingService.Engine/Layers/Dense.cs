using TrainingService.Engine.Vocabulary;
using System.Runtime.CompilerServices;
using TrainingService.Engine.Activations;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>
/// A fully connected layer and its fused activation: Z = H·Wᵀ + b, A = f(Z), with W stored as PyTorch's
/// nn.Linear.weight (Outputs × Inputs). The bias and the activation are one pass over each row block while it is in
/// cache, which is why the activation is fused here rather than a layer of its own.
/// </summary>
public sealed class Dense : ILayer
{
    /// <summary>dense in <c>model.layers</c>: units; the activation that follows is fused in when the stack is built.</summary>
    public static LayerKind Entry { get; } = new DenseKind() { Order = 0 };

    private sealed class DenseKind() : LayerKind("dense", "fully connected: a = activation(W·x + b)",
        [SpecField.Integer("units", "outputs of the layer", 1, DefaultMaxWidth)])
    {
        public override Shape? Check(LayerSpec s, Shape input, LayerProblems p)
        {
            if (!p.Required("units", s.Units, 1, p.MaxWidth)) return null;
            if (!input.IsFlat) { p.Add("type", $"dense needs a flat input, but gets {p.From(input)}: put {{ \"type\": \"flatten\" }} before it"); return null; }
            return Shape.Flat(s.Units!.Value);
        }

        public override ILayer Build(LayerSpec s, Shape input, int index, long seed, string at) => new Dense(index, input.Size, s.Units!.Value, new Identity());

        public override (long Parameters, double Macs, double Scratch) Cost(LayerSpec s, Shape input, Shape output) =>
            ((long)input.Size * output.Size + output.Size, (double)input.Size * output.Size, 0);
    }

    /// <param name="index">the layer's position in the network: its parameters are <c>layers[index].weight</c> and <c>.bias</c></param>
    public Dense(int index, int inputs, int outputs, IActivation activation)
    {
        if (inputs < 1 || outputs < 1) throw new ArgumentException($"layer sizes must be positive, got {inputs}→{outputs}");
        Input = Shape.Flat(inputs);
        Output = Shape.Flat(outputs);
        Activation = activation;
        Weights = new Parameter($"layers[{index}].weight", outputs, inputs);
        Bias = new Parameter($"layers[{index}].bias", 1, outputs);
        Parameters = [Weights, Bias];
    }

    public string Kind => "dense";
    public Shape Input { get; }
    public Shape Output { get; }
    public int Inputs => Input.Size;
    public int Outputs => Output.Size;
    public IActivation Activation { get; }
    public Parameter Weights { get; }
    public Parameter Bias { get; }
    /// <summary>W, b.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    public void Initialize(string scheme, Rng rng) => Initializer.Initialize(Weights, Bias, scheme, rng);

    public LayerBuffers CreateBuffers(int maxRows, bool withGradients) => new(maxRows, Outputs, withGradients);

    /// <summary>Z = H·Wᵀ + b; A = f(Z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(Matrix input, LayerBuffers buffers)
    {
        int rows = input.Rows;
        Kernels.MatMulTransB(input.ReadOnly, Weights.Data, buffers.Z.Span, rows, Inputs, Outputs);
        RowBlocks.Run(rows, Outputs, new BiasActivation(buffers.Z.Data, buffers.A.Data, Bias.Data, Activation));
    }

    /// <summary>dW = dZᵀ·H and db = Σ_rows dZ (overwriting) and, when asked, dH = dZ·W for the layer below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(Matrix input, LayerBuffers buffers, Matrix? inputGradient)
    {
        int rows = input.Rows;
        Matrix dZ = buffers.DZ ?? throw new InvalidOperationException("the workspace was created without gradients");
        Kernels.MatMulTransA(dZ.ReadOnly, input.ReadOnly, Weights.Grad, Outputs, rows, Inputs);
        Kernels.SumRows(dZ.ReadOnly, Bias.Grad, rows);
        if (inputGradient is not null) Kernels.MatMul(dZ.ReadOnly, Weights.Data, inputGradient.Span, rows, Outputs, Inputs);
    }

    /// <summary>Rows [r0, r1): Z += b, then A = f(Z).</summary>
    private readonly struct BiasActivation(float[] z, float[] a, float[] bias, IActivation activation) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            int n = bias.Length, count = (r1 - r0) * n;
            Span<float> zBlock = z.AsSpan(r0 * n, count);
            Kernels.AddRowVector(zBlock, bias, r1 - r0);
            activation.Forward(zBlock, a.AsSpan(r0 * n, count), n);
        }
    }
}
