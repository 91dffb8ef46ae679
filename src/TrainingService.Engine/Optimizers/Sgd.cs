using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Optimizers;

/// <summary>
/// Plain stochastic gradient descent: θ ← θ − lr·g (g including weight decay). With batch size 0 the
/// trainer feeds the whole training set each step (full-batch gradient descent); with 1, per-sample SGD.
/// </summary>
public sealed class Sgd(double learningRate, double weightDecay = 0) : Optimizer(learningRate, weightDecay)
{
    /// <summary>The spec's <c>sgd</c>, as torch.optim.SGD: momentum &gt; 0 makes it heavy-ball <see cref="Momentum"/> and
    /// nesterov: true <see cref="Nesterov"/> — the same objects the types <c>momentum</c> and <c>nesterov</c> build, so the
    /// same updates bit for bit. The learning rate, which PyTorch leaves to the user, defaults to 0.1.</summary>
    public static OptimizerEntry Entry { get; } = new("sgd", 10,
        "stochastic gradient descent θ ← θ − lr·g; momentum > 0 is heavy-ball momentum and nesterov: true Nesterov's, as in PyTorch's SGD",
        [
            OptimizerFields.LearningRate(0.1),
            OptimizerFields.Momentum(0.0),
            SpecField.Boolean("nesterov", "Nesterov momentum (needs momentum > 0)").WithDefault(false),
            OptimizerFields.WeightDecay(0.0),
        ],
        f => f.Number("momentum") == 0 ? new Sgd(f.Number("learningRate"), f.Number("weightDecay"))
            : f.Boolean("nesterov") ? new Nesterov(f.Number("learningRate"), f.Number("momentum"), f.Number("weightDecay"))
            : new Momentum(f.Number("learningRate"), f.Number("momentum"), f.Number("weightDecay")),
        f => f.Boolean("nesterov") && f.Number("momentum") == 0
            ? ("nesterov", "needs momentum > 0 (as PyTorch's SGD(nesterov=True) refuses momentum 0)") : null);

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
