using System.Numerics;
using System.Runtime.CompilerServices;

namespace TrainingService.Engine.Optimizers;

/// <summary>
/// Plain stochastic gradient descent: θ ← θ − lr·g (g including weight decay). With batch size 0 the
/// trainer feeds the whole training set each step (full-batch gradient descent); with 1, per-sample SGD.
/// </summary>
public sealed class Sgd(double learningRate, double weightDecay = 0) : Optimizer(learningRate, weightDecay)
{
    public override string Name => "sgd";
    protected override int SlotsPerParameter => 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> theta, ReadOnlySpan<float> grad, StateSlots state)
    {
        float lr = (float)LearningRate, wd = (float)WeightDecay;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> vlr = new(lr), vwd = new(wd);
            for (; i <= theta.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var th = new Vector<float>(theta[i..]);
                (th - vlr * (new Vector<float>(grad[i..]) + vwd * th)).CopyTo(theta[i..]);
            }
        }
        for (; i < theta.Length; i++)
        {
            float g = grad[i] + wd * theta[i];
            theta[i] -= lr * g;
        }
    }
}
