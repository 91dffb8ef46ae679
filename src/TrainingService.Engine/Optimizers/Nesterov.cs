using System.Runtime.CompilerServices;
using TrainingService.Engine.Vocabulary;
namespace TrainingService.Engine.Optimizers;

/// <summary>
/// Nesterov accelerated gradient in PyTorch's reformulation (Sutskever et al. 2013): v ← μ·v + g
/// (v = g on the first step), θ ← θ − lr·(g + μ·v) with the new v — the gradient is effectively taken
/// at the look-ahead point without a second forward pass.
/// </summary>
public sealed class Nesterov : Optimizer
{
    public static OptimizerEntry Entry { get; } = new("nesterov", 30,
        "Nesterov accelerated gradient (Sutskever et al. 2013), PyTorch's form θ ← θ − lr·(g + μ·v)",
        [OptimizerFields.LearningRate(Momentum.DefaultLearningRate), OptimizerFields.Momentum(Momentum.DefaultMomentum), OptimizerFields.WeightDecay(0.0)],
        f => new Nesterov(f.Number("learningRate"), f.Number("momentum"), f.Number("weightDecay")),
        f => f.Number("momentum") == 0
            ? ("momentum", "nesterov needs momentum > 0 (as PyTorch's SGD(nesterov=True) refuses momentum 0), got 0") : null);

    /// <exception cref="ArgumentOutOfRangeException">momentum is 0 (Nesterov without momentum is plain SGD; PyTorch refuses it too) or outside [0, 1)</exception>
    public Nesterov(double learningRate, double momentum, double weightDecay = 0) : base(learningRate, weightDecay)
    {
        Mu = Hyper.UnitInterval("momentum", momentum);
        if (Mu == 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "nesterov needs momentum > 0");
    }

    public double Mu { get; }
    public override string Name => "nesterov";
    public override int SlotsPerParameter => 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> theta, ReadOnlySpan<float> grad, StateSlots state)
    {
        float lr = (float)LearningRate, wd = (float)WeightDecay, mu = (float)Mu;
        Span<float> v = state[0];
        bool first = StepCount == 1;
        for (int i = 0; i < theta.Length; i++)
        {
            float g = grad[i] + wd * theta[i];
            v[i] = first ? g : Subnormal.Flush(mu * v[i] + g);
            theta[i] -= lr * (g + mu * v[i]);
        }
    }
}
