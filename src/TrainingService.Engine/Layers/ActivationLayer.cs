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
