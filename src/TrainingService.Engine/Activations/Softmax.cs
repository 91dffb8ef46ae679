using System.Runtime.CompilerServices;
namespace TrainingService.Engine.Activations;

/// <summary>
/// Row-wise a_j = e^(z_j − max z) / Σ_k e^(z_k − max z). Used only as the output of cross-entropy, whose
/// fused gradient (P − onehot(Y))/B is computed by the loss, so the Jacobian is never formed.
/// </summary>
public sealed class Softmax : IActivation
{
    public string Name => "softmax";
    public bool IsDifferentiable => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<float> z, Span<float> a, int cols)
    {
        for (int r = 0; r + cols <= z.Length; r += cols)
        {
            ReadOnlySpan<float> zr = z.Slice(r, cols);
            Span<float> ar = a.Slice(r, cols);
            float max = float.NegativeInfinity;
            for (int j = 0; j < cols; j++) max = MathF.Max(max, zr[j]);
            float sum = 0f;
            for (int j = 0; j < cols; j++) { ar[j] = MathF.Exp(zr[j] - max); sum += ar[j]; }
            float inv = 1f / sum;
            for (int j = 0; j < cols; j++) ar[j] *= inv;
        }
    }

    public void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ) =>
        throw new InvalidOperationException("softmax is differentiated together with cross_entropy; use it only as that loss's output.");
}
