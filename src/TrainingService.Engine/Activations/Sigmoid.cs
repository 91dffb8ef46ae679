using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace TrainingService.Engine.Activations;

/// <summary>a = 1/(1+e^−z); f'(z) = a(1−a) ≤ 1/4, which is why deep sigmoid stacks lose their gradient.</summary>
public sealed class Sigmoid : IActivation
{
    public string Name => "sigmoid";
    public bool IsDifferentiable => true;

    public void Forward(ReadOnlySpan<float> z, Span<float> a, int cols) => TensorPrimitives.Sigmoid(z, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= dZ.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var av = new Vector<float>(a[i..]);
                (new Vector<float>(dA[i..]) * av * (Vector<float>.One - av)).CopyTo(dZ[i..]); // same order as below
            }
        for (; i < dZ.Length; i++) dZ[i] = dA[i] * a[i] * (1f - a[i]);
    }
}
