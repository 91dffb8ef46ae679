using System.Numerics;
using System.Runtime.CompilerServices;

namespace TrainingService.Engine.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015): m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; m̂ = m/(1−β1^t);
/// v̂ = v/(1−β2^t); θ ← θ − lr·m̂/(√v̂ + ε). Weight decay is classic L2 in g (PyTorch's Adam); for
/// decoupled decay see <see cref="AdamW"/>.
/// </summary>
public class Adam : Optimizer
{
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
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
    protected override int SlotsPerParameter => 2;

    /// <summary>The L2 coefficient folded into g (0 for AdamW, whose decay is applied to θ directly).</summary>
    protected virtual float L2 => (float)WeightDecay;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> theta, ReadOnlySpan<float> grad, StateSlots state)
    {
        float b1 = (float)Beta1, b2 = (float)Beta2, eps = (float)Epsilon, wd = L2;
        double t = StepCount;
        float c1 = (float)(1 - Math.Pow(Beta1, t));
        float sqrtC2 = (float)Math.Sqrt(1 - Math.Pow(Beta2, t));
        float stepSize = (float)LearningRate / c1;
        Span<float> m = state[0], v = state[1];
        BeforeUpdate(theta);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Same operations, in the same order, as the scalar loop below: results are identical.
            Vector<float> vb1 = new(b1), vb1c = new(1 - b1), vb2 = new(b2), vb2c = new(1 - b2), vwd = new(wd),
                vstep = new(stepSize), vc2 = new(sqrtC2), veps = new(eps);
            for (; i <= theta.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var th = new Vector<float>(theta[i..]);
                var g = new Vector<float>(grad[i..]) + vwd * th;
                var mv = vb1 * new Vector<float>(m[i..]) + vb1c * g;
                var vv = vb2 * new Vector<float>(v[i..]) + vb2c * g * g;
                mv.CopyTo(m[i..]); vv.CopyTo(v[i..]);
                (th - vstep * mv / (Vector.SquareRoot(vv) / vc2 + veps)).CopyTo(theta[i..]);
            }
        }
        for (; i < theta.Length; i++)
        {
            float g = grad[i] + wd * theta[i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            // PyTorch's form: θ −= (lr/c1) · m / (√v/√c2 + ε), i.e. lr·m̂/(√v̂ + ε).
            theta[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / sqrtC2 + eps);
        }
    }

    /// <summary>Hook run on θ before the moment update (AdamW's decoupled decay).</summary>
    protected virtual void BeforeUpdate(Span<float> theta) { }
}
