using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace TrainingService.Engine.Activations;

/// <summary>a = tanh z; f'(z) = 1 − a².</summary>
public sealed class Tanh : IActivation
{
    public string Name => "tanh";
    public bool IsDifferentiable => true;

    public void Forward(ReadOnlySpan<float> z, Span<float> a, int cols) => TensorPrimitives.Tanh(z, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < dZ.Length; i++) dZ[i] = dA[i] * (1f - a[i] * a[i]);
    }
}
