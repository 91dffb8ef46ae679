using System.Runtime.CompilerServices;
using TrainingService.Engine.Vocabulary;
namespace TrainingService.Engine.Optimizers;

/// <summary>
/// Adagrad (Duchi, Hazan &amp; Singer 2011): s ← s + g²; θ ← θ − lr·g / (√s + ε). Each coordinate's step
/// shrinks with its accumulated gradient, so rarely-updated weights keep large steps — and every step
/// keeps shrinking, which is what Adadelta and RMSprop fix.
/// </summary>
public sealed class Adagrad : Optimizer
{
    private const double DefaultEpsilon = 1e-10;

    public static OptimizerEntry Entry { get; } = new("adagrad", 40,
        "Adagrad (Duchi, Hazan & Singer 2011): per-coordinate steps lr·g / (√Σg² + ε)",
        [OptimizerFields.LearningRate(0.01), OptimizerFields.Epsilon(DefaultEpsilon), OptimizerFields.WeightDecay(0.0)],
        f => new Adagrad(f.Number("learningRate"), f.Number("epsilon"), f.Number("weightDecay")));

    public Adagrad(double learningRate, double epsilon = DefaultEpsilon, double weightDecay = 0) : base(learningRate, weightDecay) =>
        Epsilon = Hyper.Positive("epsilon", epsilon);

    public double Epsilon { get; }
    public override string Name => "adagrad";
    public override int SlotsPerParameter => 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> theta, ReadOnlySpan<float> grad, StateSlots state)
    {
        float lr = (float)LearningRate, wd = (float)WeightDecay, eps = (float)Epsilon;
        Span<float> s = state[0];
        for (int i = 0; i < theta.Length; i++)
        {
            float g = grad[i] + wd * theta[i];
            s[i] += g * g;
            theta[i] -= lr * g / (MathF.Sqrt(s[i]) + eps);
        }
    }
}
