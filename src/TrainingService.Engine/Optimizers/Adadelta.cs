using System.Runtime.CompilerServices;
using TrainingService.Engine.Vocabulary;
namespace TrainingService.Engine.Optimizers;

/// <summary>
/// Adadelta (Zeiler 2012): E_g ← ρ·E_g + (1−ρ)·g²; Δ = √(E_Δ + ε)/√(E_g + ε)·g;
/// E_Δ ← ρ·E_Δ + (1−ρ)·Δ²; θ ← θ − lr·Δ. ε sits inside both roots; E_Δ is updated after Δ.
/// The paper has no learning rate (lr = 1, PyTorch's default).
/// </summary>
public sealed class Adadelta : Optimizer
{
    private const double DefaultLearningRate = 1.0, DefaultRho = 0.9, DefaultEpsilon = 1e-6;

    public static OptimizerEntry Entry { get; } = new("adadelta", 50,
        "Adadelta (Zeiler 2012): steps scaled by the ratio of running RMS of updates and of gradients",
        [
            OptimizerFields.LearningRate(DefaultLearningRate),
            SpecField.Number("rho", "ρ, decay of the running averages", 0, 1, maxExclusive: true).WithDefault(DefaultRho),
            OptimizerFields.Epsilon(DefaultEpsilon),
            OptimizerFields.WeightDecay(0.0),
        ],
        f => new Adadelta(f.Number("learningRate"), f.Number("rho"), f.Number("epsilon"), f.Number("weightDecay")));

    public Adadelta(double learningRate = DefaultLearningRate, double rho = DefaultRho, double epsilon = DefaultEpsilon, double weightDecay = 0) : base(learningRate, weightDecay)
    {
        Rho = Hyper.UnitInterval("rho", rho);
        Epsilon = Hyper.Positive("epsilon", epsilon);
    }

    public double Rho { get; }
    public double Epsilon { get; }
    public override string Name => "adadelta";
    public override int SlotsPerParameter => 2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> theta, ReadOnlySpan<float> grad, StateSlots state)
    {
        float lr = (float)LearningRate, wd = (float)WeightDecay, rho = (float)Rho, eps = (float)Epsilon;
        Span<float> eg = state[0], edelta = state[1];
        for (int i = 0; i < theta.Length; i++)
        {
            float g = grad[i] + wd * theta[i];
            eg[i] = Subnormal.Flush(rho * eg[i] + (1 - rho) * g * g);
            float delta = MathF.Sqrt(edelta[i] + eps) / MathF.Sqrt(eg[i] + eps) * g;
            edelta[i] = Subnormal.Flush(rho * edelta[i] + (1 - rho) * delta * delta);
            theta[i] -= lr * delta;
        }
    }
}
