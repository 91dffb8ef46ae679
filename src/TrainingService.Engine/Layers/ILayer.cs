using TrainingService.Engine.Activations;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>
/// One layer of a <see cref="Network"/>, after torch.nn's modules: its parameters, its shapes (fixed when it is built)
/// and forward and backward side by side. A layer computes Z from its input and then A = f(Z) with its fused
/// activation (identity for none); the network applies f' on the way back (Z, A, ∂L/∂A → ∂L/∂Z) so that every kind
/// gets it the same way, and the loss writes the output layer's ∂L/∂Z directly. Batches are matrices of one
/// row per sample (<see cref="Shape.Size"/> floats).
/// </summary>
public interface ILayer
{
    /// <summary>The spec name of the kind ("dense").</summary>
    string Kind { get; }

    /// <summary>The shape of one input sample.</summary>
    Shape Input { get; }

    /// <summary>The shape of one output sample (Z and A).</summary>
    Shape Output { get; }

    /// <summary>The activation fused into the layer's output pass.</summary>
    IActivation Activation { get; }

    /// <summary>Trainable tensors in a fixed order (the order of model files, checkpoints and flat parameter vectors).</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Initialises the parameters with <paramref name="scheme"/> (see <see cref="Initializer"/>) from <paramref name="rng"/>.</summary>
    void Initialize(string scheme, Rng rng);

    /// <summary>The layer's batch buffers for up to <paramref name="maxRows"/> samples: Z and A, and ∂L/∂Z and ∂L/∂A when
    /// <paramref name="withGradients"/>; a kind that needs scratch space returns a subclass holding it.</summary>
    LayerBuffers CreateBuffers(int maxRows, bool withGradients);

    /// <summary>Z and A of the batch <paramref name="input"/> into <paramref name="buffers"/> (already sized to its rows).</summary>
    void Forward(Matrix input, LayerBuffers buffers);

    /// <summary>
    /// From ∂L/∂Z in <paramref name="buffers"/>.DZ after a <see cref="Forward"/> of the same batch: writes every parameter's
    /// Grad (overwriting) and, when <paramref name="inputGradient"/> is not null, ∂L/∂input into it.
    /// </summary>
    void Backward(Matrix input, LayerBuffers buffers, Matrix? inputGradient);
}
