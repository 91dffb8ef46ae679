using System.Numerics;
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
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= dZ.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var av = new Vector<float>(a[i..]);
                (new Vector<float>(dA[i..]) * (Vector<float>.One - av * av)).CopyTo(dZ[i..]); // same order as below
            }
        for (; i < dZ.Length; i++) dZ[i] = dA[i] * (1f - a[i] * a[i]);
    }
}
