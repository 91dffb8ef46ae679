using TrainingService.Engine.Gradients;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;
using Xunit.Abstractions;

namespace TrainingService.Engine.Tests.Gradients;

/// <summary>The gradient check and numerical gradients on conv nets: backprop against central differences of the batch
/// loss recomputed in float64 (every layer kind from its definition), on the 8×8 digits, as the perceptron's check.</summary>
public sealed class ConvGradientCheckTests(ITestOutputHelper output)
{
    private const string SmallConv = """
        [{"type":"conv2d","filters":4,"kernel":3,"padding":1},{"type":"relu"},{"type":"maxpool2d","kernel":2},
         {"type":"flatten"},{"type":"dense","units":16},{"type":"relu"}]
        """;

    /// <summary>Strides, padding on one side, average pooling and activations as their own layers.</summary>
    private const string OtherKinds = """
        [{"type":"conv2d","filters":3,"kernel":[3,2],"stride":[1,2],"padding":[0,1]},{"type":"tanh"},{"type":"avgpool2d","kernel":2,"stride":1},
         {"type":"sigmoid"},{"type":"conv2d","filters":2,"kernel":2},{"type":"leaky_relu"},{"type":"dropout","rate":0},{"type":"flatten"}]
        """;

    private static TrainingSession Digits(string layers, long seed, int batch = 64, string extra = "") => Tests.Training.TrainingRuns.Session($$"""
        {"model":{"layers":{{layers}}},"dataset":{"name":"digits"},"batchSize":{{batch}},
         "optimizer":{"type":"sgd","learningRate":0.1},"epochs":1,"seed":{{seed}}{{extra}}}
        """);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AConvNetsBackpropMatchesCentralDifferencesAsARunChecksIt(long seed)
    {
        var session = Digits(SmallConv, seed, extra: ""","gradientCheck":true""");
        var r = session.Run().GradientCheck!;
        output.WriteLine($"seed {seed}: max {r.MaxRelativeError:E2} per layer [{string.Join(", ", r.LayerMaxRelativeError.Select(v => v.ToString("E2")))}], kink entries {r.KinkEntries}");
        Assert.Equal(3, r.LayerMaxRelativeError.Length); // conv2d, dense, the output layer: the layers with parameters
        Assert.Equal(3, r.LayerKinkEntries.Length);
        Assert.True(r.MaxRelativeError < 1e-3, $"seed {seed}: {string.Join(", ", r.LayerMaxRelativeError)}");
        // Every entry of the conv layer (36 + 4) and the output layer's (16·10 + 10), 200 of the dense layer's 1,040 + 16.
        Assert.Equal(2 * (40 + 200 + 16 + 170), r.LossEvaluations);
    }

    [Fact]
    public void StridesPaddingAveragePoolingAndActivationLayersMatchToo()
    {
        var r = Digits(OtherKinds, 4, extra: ""","gradientCheck":true""").Run().GradientCheck!;
        Assert.Equal(3, r.LayerMaxRelativeError.Length);
        Assert.True(r.MaxRelativeError < 1e-3, string.Join(", ", r.LayerMaxRelativeError));
    }

    [Theory]
    [InlineData(0, 0)] // the conv layer's dW
    [InlineData(0, 1)] // its db
    [InlineData(3, 0)] // the dense layer after the pool and flatten (built: conv2d+relu, maxpool2d, flatten, dense+relu, output)
    [InlineData(4, 1)] // the output layer's db
    public void AWrongGradientInAConvNetIsCaughtInItsLayer(int layer, int tensor)
    {
        var (net, x, t, loss) = Backprop(Digits(SmallConv, 1), rows: 32);
        foreach (ref float g in net.Layers[layer].Parameters[tensor].Grad.AsSpan()) g *= 1.1f;

        var r = GradientCheck.Run(net, x.ReadOnly, x.Rows, t, loss, seed: 1);

        int slot = net.Layers.Take(layer).Count(l => l.Parameters.Count > 0);
        for (int s = 0; s < r.LayerMaxRelativeError.Length; s++)
            if (s == slot) Assert.InRange(r.LayerMaxRelativeError[s], 0.09, 0.1); // |1.1g − g| / 1.1|g| = 1/11
            else Assert.True(r.LayerMaxRelativeError[s] < 1e-3, $"layer slot {s}: {r.LayerMaxRelativeError[s]}");
    }

    [Fact]
    public void NumericalGradientsOfAConvNetAgreeWithBackprop()
    {
        var session = Digits(SmallConv, 5);
        var (net, x, t, lossName) = Backprop(session, rows: 16);
        float[][] backprop = [.. net.Parameters.Select(p => p.Grad.ToArray())];

        var ws = net.CreateWorkspace(x.Rows, withGradients: false);
        double Loss() => session.Loss.Evaluate(ws.Z[^1], net.Forward(x, ws), t, net.OutputActivation, Span<float>.Empty);
        NumericalGradient.Compute(net.Parameters, Loss);

        // float32 losses and h = 5e-3: a few percent at most, tensor by tensor.
        for (int p = 0; p < backprop.Length; p++)
        {
            float[] n = net.Parameters[p].Grad;
            double diff = Math.Sqrt(n.Zip(backprop[p], (a, b) => (double)(a - b) * (a - b)).Sum());
            double norm = Math.Sqrt(backprop[p].Sum(b => (double)b * b));
            Assert.True(diff < 0.05 * norm, $"{net.Parameters[p].Name}: ‖numerical − backprop‖ = {diff:E2}, ‖backprop‖ = {norm:E2}");
        }
    }

    [Fact]
    public void AConvNetTrainsOnNumericalGradients()
    {
        var layers = """[{"type":"conv2d","filters":2,"kernel":3},{"type":"maxpool2d","kernel":2},{"type":"flatten"}]""";
        const string adam = ""","optimizer":{"type":"adam","learningRate":0.05}""";
        var evaluations = new LastEvaluations();
        var numerical = Digits(layers, 6, batch: 128, extra: adam + ""","gradient":"numerical" """).Run(evaluations);
        var backprop = Digits(layers, 6, batch: 128, extra: adam).Run();
        Assert.Equal(RunOutcome.Succeeded, numerical.Outcome);
        // The same run by central differences: the same loss to float32 noise, 1 + 2 evaluations per parameter per step
        // (2·9 + 2 conv, 18·10 + 10 output parameters).
        Assert.Equal(backprop.Summary.TrainLoss!.Value, numerical.Summary.TrainLoss!.Value, 0.02);
        Assert.Equal((1 + 2 * 210) * numerical.Summary.Steps, evaluations.Value);
    }

    private sealed class LastEvaluations : ITrainingObserver
    {
        public long Value { get; private set; }
        public void OnStep(in StepMetrics step) => Value = step.LossEvaluations;
    }

    /// <summary>The session's network after one forward and backward pass over its first <paramref name="rows"/> training rows.</summary>
    private static (Network Net, Matrix X, float[] Targets, string Loss) Backprop(TrainingSession session, int rows)
    {
        var (train, net) = (session.Train, session.Network);
        var x = new Matrix(rows, train.Features);
        train.X.AsSpan(0, rows * train.Features).CopyTo(x.Data);
        var t = train.Targets.AsSpan(0, rows * train.TargetWidth).ToArray();
        var ws = net.CreateWorkspace(rows, withGradients: true);
        Matrix o = net.Forward(x, ws);
        session.Loss.Evaluate(ws.Z[^1], o, t, net.OutputActivation, ws.DZ[^1].Span);
        net.Backward(x, ws);
        return (net, x, t, session.Loss.Name);
    }
}
