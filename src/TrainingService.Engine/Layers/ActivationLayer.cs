using TrainingService.Engine.Vocabulary;
using TrainingService.Engine.Activations;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>
/// An activation as a layer of its own (spec <c>{ "type": "relu" }</c> where nothing precedes it to fuse into, e.g.
/// after a pooling layer): Z = the input, A = f(Z). Like every layer's fused activation, its derivative is applied by
/// the network on the way back, so the input gradient is ∂L/∂Z as it is. Where it directly follows a convolution or a
/// dense layer, <see cref="Training.LayerStack"/> fuses it into that layer instead.
/// </summary>
public sealed class ActivationLayer(Shape shape, IActivation activation) : ILayer
{
    /// <summary>The activations <c>model.layers</c> takes as layers (the hidden-layer ones that have a gradient).</summary>
    public static IReadOnlyList<ActivationKind> Kinds { get; } =
        [.. Activations.Activation.Entries.Where(a => a.Name is "relu" or "leaky_relu" or "tanh" or "sigmoid" or "identity").Select(a => new ActivationKind(a.Name, a.Description))];

    /// <summary>An activation in <c>model.layers</c>. Right after a conv2d or dense layer it is fused into that layer
    /// when the stack is built (one pass over the output while it is in cache); anywhere else it is this layer.</summary>
    public sealed class ActivationKind(string name, string description) : LayerKind(name, $"activation: {description}")
    {
        public IActivation Create() => Activations.Activation.Create(Name);
        public override Shape? Check(LayerSpec s, Shape input, LayerProblems p) => input;
        public override ILayer Build(LayerSpec s, Shape input, int index, long seed, string at) => new ActivationLayer(input, Create());
    }

    public string Kind => Activation.Name;
    public Shape Input { get; } = shape;
    public Shape Output { get; } = shape;
    public IActivation Activation { get; } = activation;
    public IReadOnlyList<Parameter> Parameters { get; } = [];

    public void Initialize(string scheme, Rng rng) { }

    public LayerBuffers CreateBuffers(int maxRows, bool withGradients) => new(maxRows, Output.Size, withGradients);

    public void Forward(Matrix input, LayerBuffers buffers)
    {
        input.ReadOnly.CopyTo(buffers.Z.Span);
        Activation.Forward(buffers.Z.ReadOnly, buffers.A.Span, Output.Size);
    }

    public void Backward(Matrix input, LayerBuffers buffers, Matrix? inputGradient)
    {
        if (inputGradient is not null) buffers.DZ!.ReadOnly.CopyTo(inputGradient.Span);
    }
}
