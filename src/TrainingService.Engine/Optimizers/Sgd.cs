using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;

namespace TrainingService.Engine.Optimizers;

/// <summary>
/// Plain stochastic gradient descent: θ ← θ − lr·g (g including weight decay). With batch size 0 the
/// trainer feeds the whole training set each step (full-batch gradient descent); with 1, per-sample SGD.
/// </summary>
public sealed class Sgd(double learningRate, double weightDecay = 0) : Optimizer(learningRate, weightDecay)
{
    public override string Name => "sgd";
    public override int SlotsPerParameter => 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> theta, ReadOnlySpan<float> grad, StateSlots state)
    {
        float lr = (float)LearningRate, wd = (float)WeightDecay;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // Unchecked loads and stores through references: the span-slicing form spent more on bounds checks
            // than on the arithmetic of this one-multiply rule.
            ref float t = ref MemoryMarshal.GetReference(theta);
            ref float g = ref MemoryMarshal.GetReference(grad);
            Vector512<float> vlr = Vector512.Create(lr), vwd = Vector512.Create(wd);
            for (; i <= theta.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var th = Vector512.LoadUnsafe(ref t, (nuint)i);
                (th - vlr * (Vector512.LoadUnsafe(ref g, (nuint)i) + vwd * th)).StoreUnsafe(ref t, (nuint)i);
            }
        }
        else if (Vector.IsHardwareAccelerated)
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
