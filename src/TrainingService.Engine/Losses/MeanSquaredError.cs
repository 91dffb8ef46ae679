using TrainingService.Engine.Activations;
using System.Runtime.CompilerServices;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Losses;

/// <summary>
/// L = (1/(B·M)) Σ (ŷ − y)², averaged over the batch and the outputs as PyTorch's MSELoss;
/// dL/dŷ = 2(ŷ − y)/(B·M), then through the output activation.
/// </summary>
public sealed class MeanSquaredError : ILoss
{
    public string Name => "mse";
    public int TargetWidth(int outputs) => outputs;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate(Matrix z, Matrix output, ReadOnlySpan<float> targets, IActivation outputActivation, Span<float> dZ)
    {
        int n = output.Length;
        ReadOnlySpan<float> y = output.ReadOnly;
        double sum = 0;
        float scale = 2f / n;
        bool grad = !dZ.IsEmpty;
        for (int i = 0; i < n; i++)
        {
            float d = y[i] - targets[i];
            sum += (double)d * d;
            if (grad) dZ[i] = scale * d;
        }
        if (grad) outputActivation.Backward(z.ReadOnly, y, dZ[..n], dZ[..n]);
        return sum / n;
    }
}
