using TrainingService.Engine.Activations;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>C×H×W → C·H·W (PyTorch's nn.Flatten): a sample's floats are already in that order, so the values pass
/// through unchanged and only the shape the next layer sees changes.</summary>
public sealed class Flatten(Shape input) : ILayer
{
    /// <summary>flatten in <c>model.layers</c>.</summary>
    public static LayerKind Entry { get; } = new FlattenKind() { Order = 4 };

    private sealed class FlattenKind() : LayerKind("flatten", "C×H×W → C·H·W, for the dense layers after convolutions")
    {
        public override Shape? Check(LayerSpec s, Shape input, LayerProblems p) => Shape.Flat(input.Size);
        public override ILayer Build(LayerSpec s, Shape input, int index, long seed, string at) => new Flatten(input);
    }

    public string Kind => "flatten";
    public Shape Input { get; } = input;
    public Shape Output { get; } = Shape.Flat(input.Size);
    public IActivation Activation { get; } = new Identity();
    public IReadOnlyList<Parameter> Parameters { get; } = [];

    public void Initialize(string scheme, Rng rng) { }

    public LayerBuffers CreateBuffers(int maxRows, bool withGradients) => new(maxRows, Output.Size, withGradients);

    public void Forward(Matrix input, LayerBuffers buffers)
    {
        input.ReadOnly.CopyTo(buffers.Z.Span);
        input.ReadOnly.CopyTo(buffers.A.Span);
    }

    public void Backward(Matrix input, LayerBuffers buffers, Matrix? inputGradient)
    {
        if (inputGradient is not null) buffers.DZ!.ReadOnly.CopyTo(inputGradient.Span);
    }
}
