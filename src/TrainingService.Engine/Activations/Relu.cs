using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace TrainingService.Engine.Activations;

/// <summary>a = max(z, 0); f'(z) = 1 if z &gt; 0 else 0 (0 at z = 0, as PyTorch).</summary>
public sealed class Relu : IActivation
{
    public string Name => "relu";
    public bool IsDifferentiable => true;

    public void Forward(ReadOnlySpan<float> z, Span<float> a, int cols) => TensorPrimitives.Max(z, 0f, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= dZ.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(dA[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(z[i..]), Vector<float>.Zero), g, Vector<float>.Zero).CopyTo(dZ[i..]);
            }
        for (; i < dZ.Length; i++) dZ[i] = z[i] > 0f ? dA[i] : 0f;
    }
}
