using TrainingService.Engine.Layers;
using TrainingService.Engine.Optimizers;

namespace TrainingService.Engine.Tests.Optimizers;

/// <summary>
/// State that decays geometrically after the gradient goes to zero (a rarely lit input pixel) is flushed to zero
/// when it leaves float's normal range rather than lingering as subnormal floats, which x86 computes with slow
/// microcode assists; the weights follow the same path as without the flush.
/// </summary>
public sealed class SubnormalStateTests
{
    public static TheoryData<string> Decaying => ["adam", "adamw", "momentum", "nesterov", "rmsprop", "adadelta"];

    private static Optimizer Create(string name) => name switch
    {
        "adam" => new Adam(0.01),
        "adamw" => new AdamW(0.01, weightDecay: 0),
        "momentum" => new Momentum(0.01, 0.9),
        "nesterov" => new Nesterov(0.01, 0.9),
        "rmsprop" => new RmsProp(0.01, alpha: 0.9),
        "adadelta" => new Adadelta(1.0, rho: 0.9),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Decaying))]
    public void StateNeverHoldsSubnormalsAndTheWeightsDoNotNotice(string name)
    {
        const int length = 40; // a 16- or 8-wide vector body and a scalar tail
        var p = new Parameter("w", 1, length);
        for (int i = 0; i < length; i++) p.Data[i] = 0.5f - i * 0.01f;
        var opt = Create(name);
        long flushedSteps = 0;
        for (int step = 1; step <= 2000; step++)
        {
            // One kick of different sizes, then nothing: the state decays by β/μ/α/ρ every step.
            for (int i = 0; i < length; i++) p.Grad[i] = step == 1 ? (i + 1) * 1e-3f : 0f;
            float[] before = [.. p.Data];
            opt.Step([p]);
            foreach (float[] slot in opt.ExportState().Slots![0])
            {
                Assert.DoesNotContain(slot, float.IsSubnormal);
                if (step > 1 && slot.Any(x => x == 0)) flushedSteps++;
            }
            Assert.All(p.Data, x => Assert.True(float.IsFinite(x)));
            if (step > 900) Assert.Equal(before, p.Data); // long since decayed: θ no longer moves
        }
        Assert.True(flushedSteps > 0, "the decaying state reached zero within 2000 steps");
    }

    [Fact]
    public void AdamWithTheFlushFollowsADoublePrecisionReference()
    {
        var p = new Parameter("w", 1, 1);
        var adam = new Adam(0.01);
        double theta = 0, m = 0, v = 0;
        for (int t = 1; t <= 1500; t++)
        {
            double g = t <= 3 ? 0.002 * t : 0;
            p.Grad[0] = (float)g;
            adam.Step([p]);
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            theta -= 0.01 * (m / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v / (1 - Math.Pow(0.999, t))) + 1e-8);
        }
        Assert.True(m < 1e-38, "the double reference's m has decayed past float's normal range");
        Assert.Equal(theta, p.Data[0], 1e-5);
    }
}
