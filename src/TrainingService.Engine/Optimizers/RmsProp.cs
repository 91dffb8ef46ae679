using System.Runtime.CompilerServices;
using TrainingService.Engine.Vocabulary;
namespace TrainingService.Engine.Optimizers;

/// <summary>
/// RMSprop (Hinton, Coursera lecture 6e, 2012): s ← α·s + (1−α)·g²; θ ← θ − lr·g / (√s + ε), with ε
/// outside the root as in PyTorch. A decaying average instead of Adagrad's sum keeps steps from vanishing.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private const double DefaultAlpha = 0.99, DefaultEpsilon = 1e-8;

    public static OptimizerEntry Entry { get; } = new("rmsprop", 60,
        "RMSprop (Hinton 2012): steps lr·g / (√s + ε) with s a decaying average of g²",
        [
            OptimizerFields.LearningRate(0.01),
            SpecField.Number("alpha", "α, decay of the squared-gradient average", 0, 1, maxExclusive: true).WithDefault(DefaultAlpha),
            OptimizerFields.Epsilon(DefaultEpsilon),
            OptimizerFields.WeightDecay(0.0),
        ],
        f => new RmsProp(f.Number("learningRate"), f.Number("alpha"), f.Number("epsilon"), f.Number("weightDecay")));

    public RmsProp(double learningRate, double alpha = DefaultAlpha, double epsilon = DefaultEpsilon, double weightDecay = 0) : base(learningRate, weightDecay)
    {
        Alpha = Hyper.UnitInterval("alpha", alpha);
        Epsilon = Hyper.Positive("epsilon", epsilon);
    }

    public double Alpha { get; }
    public double Epsilon { get; }
    public override string Name => "rmsprop";
    public override int SlotsPerParameter => 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> theta, ReadOnlySpan<float> grad, StateSlots state)
    {
        float lr = (float)LearningRate, wd = (float)WeightDecay, alpha = (float)Alpha, eps = (float)Epsilon;
        Span<float> s = state[0];
        for (int i = 0; i < theta.Length; i++)
        {
            float g = grad[i] + wd * theta[i];
            s[i] = Subnormal.Flush(alpha * s[i] + (1 - alpha) * g * g);
            theta[i] -= lr * g / (MathF.Sqrt(s[i]) + eps);
        }
    }
}
