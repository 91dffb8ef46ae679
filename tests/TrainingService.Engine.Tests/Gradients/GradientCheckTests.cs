using TrainingService.Engine.Activations;
using TrainingService.Engine.Gradients;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Losses;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Gradients;

/// <summary>Backprop against central differences for every differentiable activation × every loss, on random small nets.</summary>
public sealed class GradientCheckTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string act in new[] { "identity", "sigmoid", "tanh", "relu", "leaky_relu" })
            foreach (string loss in Loss.Names)
                data.Add(act, loss);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackpropMatchesCentralDifferences(string activation, string lossName)
    {
        var rng = new Rng(42);
        int inputs = 4, outputs = 3, rows = 6;
        string output = Loss.RequiredOutputActivation(lossName) ?? "tanh";
        var net = new Network([inputs, 5, 4, outputs], [Activation.Create(activation), Activation.Create(activation), Activation.Create(output)]);
        net.Initialize("default", rng);
        ILoss loss = Loss.Create(lossName);
        var x = new Matrix(rows, inputs);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)rng.Uniform(-2, 2);
        int tw = loss.TargetWidth(outputs);
        var t = new float[rows * tw];
        for (int i = 0; i < t.Length; i++)
            t[i] = lossName switch
            {
                "cross_entropy" => rng.NextInt(outputs),
                "bce" => rng.NextInt(2),
                _ => (float)rng.Uniform(-1, 1),
            };

        var ws = net.CreateWorkspace(rows, withGradients: true);
        Matrix o = net.Forward(x, ws);
        loss.Evaluate(ws.Z[^1], o, t, net.OutputActivation, ws.DZ[^1].Span);
        net.Backward(x, ws);

        var result = GradientCheck.Run(net, x.ReadOnly, rows, t, lossName);

        Assert.Equal(3, result.LayerMaxRelativeError.Length);
        Assert.Equal(2 * net.ParameterCount, result.LossEvaluations);
        Assert.True(result.MaxRelativeError < 1e-3, $"{activation}/{lossName}: per-layer max relative error {string.Join(", ", result.LayerMaxRelativeError)}");
    }

    [Fact]
    public void AWrongGradientIsReportedInItsLayer()
    {
        var rng = new Rng(3);
        var net = new Network([3, 4, 2], [new Tanh(), new Identity()]);
        net.Initialize("default", rng);
        var x = new Matrix(5, 3);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)rng.Uniform(-1, 1);
        float[] t = new float[10];
        for (int i = 0; i < t.Length; i++) t[i] = (float)rng.Uniform(-1, 1);
        var ws = net.CreateWorkspace(5, withGradients: true);
        var o = net.Forward(x, ws);
        new MeanSquaredError().Evaluate(ws.Z[^1], o, t, net.OutputActivation, ws.DZ[^1].Span);
        net.Backward(x, ws);
        net.Layers[1].Bias.Grad[0] *= 1.5f; // a bug in one output bias

        var result = GradientCheck.Run(net, x.ReadOnly, 5, t, "mse");

        Assert.True(result.LayerMaxRelativeError[0] < 1e-3);
        Assert.InRange(result.LayerMaxRelativeError[1], 0.3, 0.4); // |1.5g − g| / 1.5|g| = 1/3
    }

    [Fact]
    public void NumericalGradientOfAQuadraticIsExactUpToRounding()
    {
        var p = new Parameter("p", 1, 3);
        p.Data[0] = 1; p.Data[1] = -2; p.Data[2] = 0.5f;
        // L = Σ θ², ∂L/∂θ = 2θ; central differences are exact for quadratics.
        long evals = NumericalGradient.Compute([p], () => p.Data.Sum(v => (double)v * v));
        Assert.Equal(6, evals);
        Assert.Equal(2.0, p.Grad[0], 3);
        Assert.Equal(-4.0, p.Grad[1], 3);
        Assert.Equal(1.0, p.Grad[2], 3);
    }
}
