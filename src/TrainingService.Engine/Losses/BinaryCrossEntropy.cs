using TrainingService.Engine.Activations;
using System.Runtime.CompilerServices;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Losses;

/// <summary>
/// Binary cross-entropy on a sigmoid output, mean over batch and outputs — PyTorch's BCEWithLogitsLoss on the
/// logits z (the same as BCELoss on p = σ(z), without BCELoss's clamp of log at −100):
/// L = −(1/(B·M)) Σ [y log p + (1−y) log(1−p)]. Evaluated from z as
/// max(z,0) − z·y + log(1 + e^−|z|), which never takes log(0); dL/dz = (p − y)/(B·M).
/// </summary>
public sealed class BinaryCrossEntropy : ILoss
{
    public string Name => "bce";
    public int TargetWidth(int outputs) => outputs;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate(Matrix z, Matrix output, ReadOnlySpan<float> targets, IActivation outputActivation, Span<float> dZ)
    {
        if (outputActivation is not Sigmoid) throw new InvalidOperationException("bce requires a sigmoid output activation");
        int n = output.Length;
        ReadOnlySpan<float> zs = z.ReadOnly, p = output.ReadOnly;
        double sum = 0;
        float scale = 1f / n;
        bool grad = !dZ.IsEmpty;
        for (int i = 0; i < n; i++)
        {
            double zi = zs[i], yi = targets[i];
            sum += Math.Max(zi, 0) - zi * yi + Math.Log(1 + Math.Exp(-Math.Abs(zi)));
            if (grad) dZ[i] = (p[i] - targets[i]) * scale;
        }
        return sum / n;
    }
}
