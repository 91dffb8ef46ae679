using TrainingService.Engine.Activations;
using System.Runtime.CompilerServices;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Losses;

/// <summary>
/// Softmax cross-entropy with integer class targets (PyTorch's cross_entropy on the logits):
/// L = (1/B) Σ_i [logsumexp(z_i) − z_i[y_i]]; dL/dZ = (P − onehot(Y))/B, fused so the softmax
/// Jacobian is never formed.
/// </summary>
public sealed class CrossEntropy : ILoss
{
    public string Name => "cross_entropy";
    public int TargetWidth(int outputs) => 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate(Matrix z, Matrix output, ReadOnlySpan<float> targets, IActivation outputActivation, Span<float> dZ)
    {
        if (outputActivation is not Softmax) throw new InvalidOperationException("cross_entropy requires a softmax output activation");
        int rows = z.Rows, m = z.Cols;
        bool grad = !dZ.IsEmpty;
        float scale = 1f / rows;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> zr = z.ReadOnly.Slice(r * m, m);
            int y = (int)targets[r];
            float max = float.NegativeInfinity;
            for (int j = 0; j < m; j++) max = MathF.Max(max, zr[j]);
            double se = 0;
            for (int j = 0; j < m; j++) se += Math.Exp(zr[j] - max);
            sum += max + Math.Log(se) - zr[y];
            if (grad)
            {
                Span<float> dr = dZ.Slice(r * m, m);
                output.ReadOnly.Slice(r * m, m).CopyTo(dr);
                dr[y] -= 1f;
                for (int j = 0; j < m; j++) dr[j] *= scale;
            }
        }
        return sum / rows;
    }
}
