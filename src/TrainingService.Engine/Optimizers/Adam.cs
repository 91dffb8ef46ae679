using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015): m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; m̂ = m/(1−β1^t);
/// v̂ = v/(1−β2^t); θ ← θ − lr·m̂/(√v̂ + ε). Weight decay is classic L2 in g (PyTorch's Adam); for
/// decoupled decay see <see cref="AdamW"/>.
/// </summary>
public class Adam : Optimizer
{
    internal const double DefaultLearningRate = 0.001, DefaultBeta1 = 0.9, DefaultBeta2 = 0.999, DefaultEpsilon = 1e-8;

    public static OptimizerEntry Entry { get; } = new("adam", 70,
        "Adam (Kingma & Ba 2015): bias-corrected averages of g and g², with L2 weight decay in g",
        AdamFields(0.0), f => new Adam(f.Number("learningRate"), f.Number("beta1"), f.Number("beta2"), f.Number("epsilon"), f.Number("weightDecay")));

    /// <summary>Adam's and AdamW's fields: PyTorch's defaults, with their own weight decay.</summary>
    internal static SpecField[] AdamFields(double weightDecay) =>
    [
        OptimizerFields.LearningRate(DefaultLearningRate),
        OptimizerFields.Beta1(DefaultBeta1),
        OptimizerFields.Beta2(DefaultBeta2),
        OptimizerFields.Epsilon(DefaultEpsilon),
        OptimizerFields.WeightDecay(weightDecay),
    ];

    public Adam(double learningRate = DefaultLearningRate, double beta1 = DefaultBeta1, double beta2 = DefaultBeta2, double epsilon = DefaultEpsilon, double weightDecay = 0)
        : base(learningRate, weightDecay)
    {
        Beta1 = Hyper.UnitInterval("beta1", beta1);
        Beta2 = Hyper.UnitInterval("beta2", beta2);
        Epsilon = Hyper.Positive("epsilon", epsilon);
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }
    public override string Name => "adam";
    public override int SlotsPerParameter => 2;

    /// <summary>The L2 coefficient folded into g (0 for AdamW, whose decay is applied to θ directly).</summary>
    protected virtual float L2 => (float)WeightDecay;

    /// <remarks>
    /// θ ← θ − (lr·√c2/c1)·m / (√v + ε·√c2), with c1 = 1−β1^t and c2 = 1−β2^t: the same value as PyTorch's
    /// θ −= (lr/c1)·m / (√v/√c2 + ε) with one division per element instead of two. The divider is what bounds
    /// this loop (a 16-lane division or square root issues every ~10 cycles), so that division was 30 % of the
    /// update's time (the two forms differ by float rounding only, far inside the golden tolerance).
    /// The moments are flushed to zero once they decay below float's normal range (see <see cref="Subnormal"/>).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> theta, ReadOnlySpan<float> grad, StateSlots state)
    {
        float b1 = (float)Beta1, b2 = (float)Beta2, wd = L2;
        double t = StepCount;
        double c1 = 1 - Math.Pow(Beta1, t), sqrtC2 = Math.Sqrt(1 - Math.Pow(Beta2, t));
        float stepSize = (float)(LearningRate * sqrtC2 / c1), eps = (float)(Epsilon * sqrtC2);
        Span<float> m = state[0], v = state[1];
        BeforeUpdate(theta);
        int i = 0;
        // Same operations, in the same order, in the vector loops and the scalar tail: results are identical.
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> vb1 = Vector512.Create(b1), vb1c = Vector512.Create(1 - b1), vb2 = Vector512.Create(b2),
                vb2c = Vector512.Create(1 - b2), vwd = Vector512.Create(wd), vstep = Vector512.Create(stepSize), veps = Vector512.Create(eps);
            for (; i <= theta.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var th = Vector512.Create<float>(theta[i..]);
                var g = Vector512.Create<float>(grad[i..]) + vwd * th;
                var mv = Subnormal.Flush(vb1 * Vector512.Create<float>(m[i..]) + vb1c * g);
                var vv = Subnormal.Flush(vb2 * Vector512.Create<float>(v[i..]) + vb2c * g * g);
                mv.CopyTo(m[i..]); vv.CopyTo(v[i..]);
                (th - vstep * mv / (Vector512.Sqrt(vv) + veps)).CopyTo(theta[i..]);
            }
        }
        else if (Vector.IsHardwareAccelerated)
        {
            Vector<float> vb1 = new(b1), vb1c = new(1 - b1), vb2 = new(b2), vb2c = new(1 - b2), vwd = new(wd),
                vstep = new(stepSize), veps = new(eps);
            for (; i <= theta.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var th = new Vector<float>(theta[i..]);
                var g = new Vector<float>(grad[i..]) + vwd * th;
                var mv = Subnormal.Flush(vb1 * new Vector<float>(m[i..]) + vb1c * g);
                var vv = Subnormal.Flush(vb2 * new Vector<float>(v[i..]) + vb2c * g * g);
                mv.CopyTo(m[i..]); vv.CopyTo(v[i..]);
                (th - vstep * mv / (Vector.SquareRoot(vv) + veps)).CopyTo(theta[i..]);
            }
        }
        for (; i < theta.Length; i++)
        {
            float g = grad[i] + wd * theta[i];
            m[i] = Subnormal.Flush(b1 * m[i] + (1 - b1) * g);
            v[i] = Subnormal.Flush(b2 * v[i] + (1 - b2) * g * g);
            theta[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) + eps);
        }
    }

    /// <summary>Hook run on θ before the moment update (AdamW's decoupled decay).</summary>
    protected virtual void BeforeUpdate(Span<float> theta) { }
}
