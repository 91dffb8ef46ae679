using TrainingService.Engine.Layers;
using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Optimizers;

public sealed class OptimizerTests
{
    [Theory]
    [InlineData("learningRate", -0.1)]
    [InlineData("learningRate", double.NaN)]
    [InlineData("momentum", 1.0)]
    [InlineData("beta2", -0.5)]
    [InlineData("rho", 1.2)]
    [InlineData("alpha", 2.0)]
    [InlineData("epsilon", 0.0)]
    [InlineData("weightDecay", -1.0)]
    public void ConstructorsRejectBadHyperparametersByNameAndValue(string name, double value)
    {
        Action create = name switch
        {
            "learningRate" => () => new Sgd(value),
            "momentum" => () => new Momentum(0.1, value),
            "beta2" => () => new Adam(0.1, 0.9, value),
            "rho" => () => new Adadelta(1, value),
            "alpha" => () => new RmsProp(0.1, value),
            "epsilon" => () => new Adagrad(0.1, value),
            _ => () => new Sgd(0.1, value),
        };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.Equal(name, ex.ParamName);
        Assert.Contains(name, ex.Message);
        Assert.Contains($"got {value}", ex.Message);
    }

    [Fact]
    public void AdamWDecaysWeightsDirectlyWhileAdamAddsL2ToTheGradient()
    {
        // One step from θ = 1, g = 0: Adam's L2 makes g = wd·θ = 0.1, so m̂/√v̂ = 1 and θ moves by lr;
        // AdamW scales θ by (1 − lr·wd) and, with g = 0, takes no Adam step.
        var a = new Parameter("w", 1, 1); a.Data[0] = 1;
        new Adam(0.01, weightDecay: 0.1).Step([a]);
        Assert.Equal(1 - 0.01, a.Data[0], 6);

        var w = new Parameter("w", 1, 1); w.Data[0] = 1;
        new AdamW(0.01, weightDecay: 0.1).Step([w]);
        Assert.Equal(1 - 0.01 * 0.1, w.Data[0], 6);
    }

    [Fact]
    public void MomentumBufferStartsAtTheFirstGradient()
    {
        var p = new Parameter("w", 1, 1);
        var opt = new Momentum(0.1, 0.9);
        p.Grad[0] = 1; opt.Step([p]);   // v = 1, θ = −0.1
        p.Grad[0] = 1; opt.Step([p]);   // v = 1.9, θ = −0.29
        Assert.Equal(-0.29, p.Data[0], 6);
    }

    [Fact]
    public void StateRoundTripsThroughExportAndImport()
    {
        var p = new Parameter("w", 1, 3);
        var opt = new Adam(0.1);
        p.Grad[0] = 1; p.Grad[1] = -2; p.Grad[2] = 0.5f;
        opt.Step([p]);
        var copy = new Parameter("w", 1, 3);
        p.Data.CopyTo(copy.Data, 0); p.Grad.CopyTo(copy.Grad, 0);
        var twin = new Adam(0.1);
        twin.ImportState(opt.ExportState());
        opt.Step([p]); twin.Step([copy]);
        Assert.Equal(p.Data, copy.Data);
        Assert.Equal(2, twin.StepCount);
    }

    [Fact]
    public void FactoryBuildsEveryGradientTypeWithItsDefaults()
    {
        foreach (var entry in SpecVocabulary.GradientOptimizers)
        {
            var opt = OptimizerFactory.Create(new OptimizerSpec { Type = entry.Name });
            Assert.Equal(entry.Name, opt.Name);
            Assert.Equal(entry.Field("learningRate")!.Default, opt.LearningRate);
        }
    }
}

public sealed class OptimizerVectorPathTests
{
    /// <summary>Lengths around the vector width exercise the SIMD body and the scalar tail.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(70)]
    public void AdamMatchesTheScalarRuleBitForBit(int length)
    {
        var rng = new TrainingService.Engine.Tensors.Rng((ulong)length);
        var p = new Parameter("w", 1, length);
        for (int i = 0; i < length; i++) p.Data[i] = (float)rng.Uniform(-1, 1);
        float[] theta = (float[])p.Data.Clone(), m = new float[length], v = new float[length];
        var adam = new Adam(0.01, 0.9, 0.999, 1e-8, 0.1);
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < length; i++) p.Grad[i] = (float)rng.Uniform(-1, 1);
            adam.Step([p]);
            // PyTorch's (lr/c1)·m / (√v/√c2 + ε) with the √c2 folded into the step and ε (one division).
            double c1 = 1 - Math.Pow(0.9, t), sqrtC2 = Math.Sqrt(1 - Math.Pow(0.999, t));
            float step = (float)(0.01 * sqrtC2 / c1), eps = (float)(1e-8 * sqrtC2);
            for (int i = 0; i < length; i++)
            {
                float g = p.Grad[i] + 0.1f * theta[i];
                m[i] = 0.9f * m[i] + (1 - 0.9f) * g;
                v[i] = 0.999f * v[i] + (1 - 0.999f) * g * g;
                theta[i] -= step * m[i] / (MathF.Sqrt(v[i]) + eps);
            }
            Assert.Equal(theta, p.Data);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(33)]
    public void MomentumAndSgdMatchTheScalarRuleBitForBit(int length)
    {
        var p = new Parameter("w", 1, length);
        var q = new Parameter("w", 1, length);
        float[] theta = new float[length], vel = new float[length], plain = new float[length];
        var momentum = new Momentum(0.1, 0.9, 0.01);
        var sgd = new Sgd(0.1, 0.01);
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < length; i++) p.Grad[i] = q.Grad[i] = (i % 3 - 1) * 0.5f + t;
            momentum.Step([p]); sgd.Step([q]);
            for (int i = 0; i < length; i++)
            {
                float g = p.Grad[i] + 0.01f * theta[i];
                vel[i] = t == 1 ? g : 0.9f * vel[i] + g;
                theta[i] -= 0.1f * vel[i];
                plain[i] -= 0.1f * (q.Grad[i] + 0.01f * plain[i]);
            }
            Assert.Equal(theta, p.Data);
            Assert.Equal(plain, q.Data);
        }
    }
}
