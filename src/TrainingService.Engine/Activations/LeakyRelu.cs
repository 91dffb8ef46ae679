using System.Numerics;
using System.Runtime.CompilerServices;
namespace TrainingService.Engine.Activations;

/// <summary>a = z if z &gt; 0 else slope·z (PyTorch's default slope 0.01), so dead units still pass a gradient.</summary>
public sealed class LeakyRelu(float slope = 0.01f) : IActivation
{
    public float Slope { get; } = slope;
    public string Name => "leaky_relu";
    public bool IsDifferentiable => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<float> z, Span<float> a, int cols)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var slope = new Vector<float>(Slope);
            for (; i <= z.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(z[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, slope * v).CopyTo(a[i..]);
            }
        }
        for (; i < z.Length; i++) a[i] = z[i] > 0f ? z[i] : Slope * z[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var slope = new Vector<float>(Slope);
            for (; i <= dZ.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(dA[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(z[i..]), Vector<float>.Zero), g, slope * g).CopyTo(dZ[i..]);
            }
        }
        for (; i < dZ.Length; i++) dZ[i] = z[i] > 0f ? dA[i] : Slope * dA[i];
    }
}
