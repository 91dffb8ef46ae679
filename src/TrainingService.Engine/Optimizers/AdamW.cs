using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Optimizers;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019), decoupled weight decay: θ ← θ·(1 − lr·wd) first, then the Adam
/// step with g unchanged (no L2 term in the moments). PyTorch's default wd is 0.01.
/// </summary>
public sealed class AdamW(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
    : Adam(learningRate, beta1, beta2, epsilon, weightDecay)
{
    public override string Name => "adamw";
    protected override float L2 => 0f;

    protected override void BeforeUpdate(Span<float> theta)
    {
        if (WeightDecay != 0) Kernels.Scale(theta, (float)(1 - LearningRate * WeightDecay));
    }
}
