using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Optimizers;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019), decoupled weight decay: θ ← θ·(1 − lr·wd) first, then the Adam
/// step with g unchanged (no L2 term in the moments). PyTorch's default wd is 0.01.
/// </summary>
public sealed class AdamW(double learningRate = Adam.DefaultLearningRate, double beta1 = Adam.DefaultBeta1, double beta2 = Adam.DefaultBeta2,
    double epsilon = Adam.DefaultEpsilon, double weightDecay = AdamW.DefaultWeightDecay)
    : Adam(learningRate, beta1, beta2, epsilon, weightDecay)
{
    private const double DefaultWeightDecay = 0.01;

    public static new OptimizerEntry Entry { get; } = new("adamw", 80,
        "AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay θ ← θ·(1 − lr·wd)",
        AdamFields(DefaultWeightDecay), f => new AdamW(f.Number("learningRate"), f.Number("beta1"), f.Number("beta2"), f.Number("epsilon"), f.Number("weightDecay")));

    public override string Name => "adamw";
    protected override float L2 => 0f;

    protected override void BeforeUpdate(Span<float> theta)
    {
        if (WeightDecay != 0) Kernels.Scale(theta, (float)(1 - LearningRate * WeightDecay));
    }
}
