using System.Numerics;
using System.Runtime.CompilerServices;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Optimizers;

/// <summary>
/// SGD with heavy-ball momentum (Polyak 1964) in PyTorch's convention, which differs from the paper's
/// v ← μv − lr·g: here v ← μ·v + g (v = g on the first step), θ ← θ − lr·v. The two agree for a
/// constant lr; PyTorch's keeps v independent of lr, so schedules rescale the step at once.
/// </summary>
public sealed class Momentum : Optimizer
{
    internal const double DefaultLearningRate = 0.05, DefaultMomentum = 0.9;

    public static OptimizerEntry Entry { get; } = new("momentum", 20,
        "SGD with heavy-ball momentum (Polyak 1964), PyTorch's form v ← μ·v + g; θ ← θ − lr·v",
        [OptimizerFields.LearningRate(DefaultLearningRate), OptimizerFields.Momentum(DefaultMomentum), OptimizerFields.WeightDecay(0.0)],
        f => new Momentum(f.Number("learningRate"), f.Number("momentum"), f.Number("weightDecay")));

    public Momentum(double learningRate, double momentum, double weightDecay = 0) : base(learningRate, weightDecay) =>
        Mu = Hyper.UnitInterval("momentum", momentum);

    public double Mu { get; }
    public override string Name => "momentum";
    public override int SlotsPerParameter => 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> theta, ReadOnlySpan<float> grad, StateSlots state)
    {
        float lr = (float)LearningRate, wd = (float)WeightDecay, mu = (float)Mu;
        Span<float> v = state[0];
        bool first = StepCount == 1;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> vlr = new(lr), vwd = new(wd), vmu = new(mu);
            for (; i <= theta.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var th = new Vector<float>(theta[i..]);
                var g = new Vector<float>(grad[i..]) + vwd * th;
                var vel = first ? g : Subnormal.Flush(vmu * new Vector<float>(v[i..]) + g);
                vel.CopyTo(v[i..]);
                (th - vlr * vel).CopyTo(theta[i..]);
            }
        }
        for (; i < theta.Length; i++)
        {
            float g = grad[i] + wd * theta[i];
            v[i] = first ? g : Subnormal.Flush(mu * v[i] + g);
            theta[i] -= lr * v[i];
        }
    }
}
