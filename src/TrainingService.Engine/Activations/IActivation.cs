namespace TrainingService.Engine.Activations;

/// <summary>
/// An activation applied after a dense layer. Forward and backward sit side by side in each
/// implementation; both work on whole batches (row-major, <c>cols</c> values per row).
/// </summary>
public interface IActivation
{
    /// <summary>The spec name ("relu", "sigmoid", …).</summary>
    string Name { get; }

    /// <summary>False for the step function: its derivative is zero almost everywhere, so backprop cannot train it.</summary>
    bool IsDifferentiable { get; }

    /// <summary>a = f(z), element-wise (row-wise for softmax).</summary>
    void Forward(ReadOnlySpan<float> z, Span<float> a, int cols);

    /// <summary>dZ = dA ⊙ f'(z), given the forward's z and a (whichever is cheaper to differentiate from).</summary>
    void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ);
}
