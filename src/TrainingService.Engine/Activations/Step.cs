using System.Runtime.CompilerServices;
namespace TrainingService.Engine.Activations;

/// <summary>
/// Heaviside step, a = 1 if z > 0 else 0: Rosenblatt's perceptron. Its derivative is 0 wherever it exists,
/// so it is trained only by gradient-free methods; backprop through it is refused at spec validation.
/// </summary>
public sealed class Step : IActivation
{
    public string Name => "step";
    public bool IsDifferentiable => false;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<float> z, Span<float> a, int cols)
    {
        for (int i = 0; i < z.Length; i++) a[i] = z[i] > 0f ? 1f : 0f;
    }

    public void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ) =>
        throw new InvalidOperationException("The step activation has no useful gradient; train it with a gradient-free optimizer.");
}
