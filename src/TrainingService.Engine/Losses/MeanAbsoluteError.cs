using TrainingService.Engine.Activations;
using System.Runtime.CompilerServices;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Losses;

/// <summary>
/// L = (1/(B·M)) Σ |ŷ − y| (PyTorch's L1Loss); dL/dŷ = sign(ŷ − y)/(B·M) with sign(0) = 0, then through
/// the output activation.
/// </summary>
public sealed class MeanAbsoluteError : ILoss
{
    public string Name => "l1";
    public int TargetWidth(int outputs) => outputs;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate(Matrix z, Matrix output, ReadOnlySpan<float> targets, IActivation outputActivation, Span<float> dZ)
    {
        int n = output.Length;
        ReadOnlySpan<float> y = output.ReadOnly;
        double sum = 0;
        float scale = 1f / n;
        bool grad = !dZ.IsEmpty;
        for (int i = 0; i < n; i++)
        {
            float d = y[i] - targets[i];
            sum += Math.Abs(d);
            if (grad) dZ[i] = d > 0f ? scale : d < 0f ? -scale : 0f;
        }
        if (grad) outputActivation.Backward(z.ReadOnly, y, dZ[..n], dZ[..n]);
        return sum / n;
    }
}
