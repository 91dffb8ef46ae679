using TrainingService.Engine.TestFunctions;
using TrainingService.Engine.Data;
using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;
using TrainingService.Engine.Training.Steppers;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Training;

/// <summary>Each training mode's stepper, driven through <see cref="IStepper"/> on one gathered batch.</summary>
[Collection(KernelThreadsCollection.Name)]
public sealed class StepperTests
{
    // A tiny smooth net (tanh, no kinks) on 8 rows, full batch, plain SGD: one step is θ -= lr·g.
    private static string Tiny(string extra = "") => $$"""
        {"dataset":{"name":"xor","samples":10,"validationFraction":0,"testFraction":0},"model":{"hidden":[3],"activation":"tanh"},
         "loss":"mse","optimizer":{"type":"sgd","learningRate":0.1{{extra}}},"batchSize":0,"epochs":1,"seed":4
        """;

    private static Batch FirstBatch(TrainingSession s)
    {
        var batch = new Batch(s.BatchSize, s.Train.Features, s.Train.TargetWidth, s.Train.Labels is not null);
        batch.Gather(s.Train, Enumerable.Range(0, s.BatchSize).ToArray());
        return batch;
    }

    private static float[] Gradients(TrainingSession s) => s.Network.Parameters.SelectMany(p => p.Grad.ToArray()).ToArray();

    [Fact]
    public void EachModeGetsItsStepper()
    {
        Assert.IsType<BackpropStepper>(Session(Tiny() + "}").Stepper);
        Assert.IsType<NumericalStepper>(Session(Tiny() + ""","gradient":"numerical"}""").Stepper);
        Assert.IsType<SearchStepper>(Session(Tiny().Replace("\"sgd\",\"learningRate\":0.1", "\"hill_climbing\"") + "}").Stepper);
        Assert.IsType<SurfaceStepper>(Session("""{"dataset":{"name":"beale"},"model":{"hidden":[]},"optimizer":{"type":"sgd"}}""").Stepper);
    }

    [Fact]
    public void NumericalStepperMatchesBackpropStepperOnATinyNet()
    {
        var backprop = Session(Tiny() + "}");
        var numerical = Session(Tiny() + ""","gradient":"numerical"}""");
        Assert.Equal(backprop.Network.GetFlatParameters(), numerical.Network.GetFlatParameters());

        var b = backprop.Stepper.Step(FirstBatch(backprop), CancellationToken.None);
        var n = numerical.Stepper.Step(FirstBatch(numerical), CancellationToken.None);

        Assert.Equal(b.Loss, n.Loss); // the same forward pass
        Assert.Equal(1, b.Evaluations);
        Assert.Equal(1 + 2 * backprop.Network.ParameterCount, n.Evaluations);
        float[] gb = Gradients(backprop), gn = Gradients(numerical);
        Assert.Contains(gb, g => Math.Abs(g) > 1e-3); // not a vacuous comparison
        for (int i = 0; i < gb.Length; i++)
            Assert.True(Math.Abs(gb[i] - gn[i]) <= 1e-3 + 1e-2 * Math.Abs(gb[i]), $"gradient {i}: backprop {gb[i]}, central differences {gn[i]}");
        Assert.Equal(b.Norm!.Value, n.Norm!.Value, 1e-3);
        Assert.Equal(2, b.LayerNorms.Length);
        // Both updated the weights by −lr·g.
        float[] after = backprop.Network.GetFlatParameters(), start = Session(Tiny() + "}").Network.GetFlatParameters();
        for (int i = 0; i < after.Length; i++) Assert.Equal(start[i] - 0.1f * gb[i], after[i], 6);
    }

    [Fact]
    public void ClippingScalesTheUpdateToTheClipNormAndReportsTheNormBeforeIt()
    {
        var free = Session(Tiny() + "}");
        var clipped = Session(Tiny(""","clipNorm":0.01""") + "}");
        float[] start = clipped.Network.GetFlatParameters();
        var f = free.Stepper.Step(FirstBatch(free), CancellationToken.None);
        var c = clipped.Stepper.Step(FirstBatch(clipped), CancellationToken.None);

        Assert.Equal(f.Norm!.Value, c.Norm!.Value, 12); // the norm is the gradient's, measured once, before clipping
        Assert.True(c.Norm > 0.01, $"norm {c.Norm}: the test needs a gradient above the clip");
        float[] after = clipped.Network.GetFlatParameters();
        double moved = Math.Sqrt(after.Zip(start, (a, s) => (double)(a - s) * (a - s)).Sum());
        Assert.Equal(0.1 * 0.01, moved, 1e-6); // lr × clip
    }

    [Fact]
    public void SearchStepperNeverGetsWorseAndReportsNoGradient()
    {
        var s = Session(Tiny().Replace("\"sgd\",\"learningRate\":0.1", "\"random_search\",\"sampling\":\"local\",\"candidates\":5") + "}");
        var batch = FirstBatch(s);
        double before = new NetworkObjective(s.Network, s.Loss, s.BatchSize).Value(batch);
        var step = s.Stepper.Step(batch, CancellationToken.None);
        Assert.True(step.Loss <= before, $"{before} → {step.Loss}");
        Assert.Null(step.Norm);
        Assert.True(step.LayerNorms.IsEmpty);
        Assert.True(step.Evaluations >= 5);
        Assert.Equal(s.Search!.StepScale, s.Stepper.Rate);
    }

    [Fact]
    public void SurfaceStepperDescendsTheExactGradientInOneEvaluation()
    {
        var s = Session("""{"dataset":{"name":"rosenbrock"},"model":{"hidden":[]},"optimizer":{"type":"sgd","learningRate":0.001},"seed":2}""");
        var f = Surfaces.Find("rosenbrock")!;
        s.Network.SetFlatParameters([-0.5f, 1.5f]);
        var step = s.Stepper.Step(FirstBatch(s), CancellationToken.None);
        Assert.Equal(f.Value(-0.5f, 1.5f), step.Loss, 12);
        Assert.Equal(1, step.Evaluations);
        double dw = -2 * (1 - -0.5) - 400 * -0.5 * (1.5 - 0.25), db = 200 * (1.5 - 0.25);
        Assert.Equal(Math.Sqrt(dw * dw + db * db), step.Norm!.Value, 3);
        float[] p = s.Network.GetFlatParameters();
        Assert.Equal(-0.5 - 0.001 * dw, p[0], 4);
        Assert.Equal(1.5 - 0.001 * db, p[1], 4);
    }

    [Fact]
    public void ANonFiniteLossLeavesTheWeightsAlone()
    {
        var s = Session("""{"dataset":{"name":"quadratic_bowl"},"model":{"hidden":[]},"optimizer":{"type":"adam"}}""");
        s.Network.SetFlatParameters([float.PositiveInfinity, 0f]);
        float[] before = s.Network.GetFlatParameters();
        var step = s.Stepper.Step(FirstBatch(s), CancellationToken.None);
        Assert.False(double.IsFinite(step.Loss));
        Assert.Equal(before, s.Network.GetFlatParameters());
        Assert.Equal(0, s.Optimizer!.StepCount);
    }
}
