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
        var evalWs = net.CreateWorkspace(rows, withGradients: false);
        Matrix o = net.Forward(x, ws);
        loss.Evaluate(ws.Z[^1], o, t, net.OutputActivation, ws.DZ[^1].Span);
        net.Backward(x, ws);
        double BatchLoss() { var out2 = net.Forward(x, evalWs); return loss.Evaluate(evalWs.Z[^1], out2, t, net.OutputActivation, Span<float>.Empty); }

        var result = GradientCheck.Run(net, BatchLoss);

        Assert.Equal(3, result.LayerMaxRelativeError.Length);
        Assert.Equal(2 * net.ParameterCount, result.LossEvaluations);
        Assert.True(result.MaxRelativeError < 2e-2, $"{activation}/{lossName}: per-layer max relative error {string.Join(", ", result.LayerMaxRelativeError)}");
    }

    [Fact]
    public void GradientCheckRestoresTheBackpropGradient()
    {
        var net = new Network([2, 3, 1], [new Tanh(), new Identity()]);
        net.Initialize("default", new Rng(1));
        foreach (var p in net.Parameters) for (int i = 0; i < p.Length; i++) p.Grad[i] = 1000 + i;
        var before = net.Parameters.Select(p => (float[])p.Grad.Clone()).ToArray();

        var result = GradientCheck.Run(net, () => 0.0);

        for (int k = 0; k < before.Length; k++) Assert.Equal(before[k], net.Parameters[k].Grad);
        // A wrong gradient (1000+ vs the true 0) is reported as a relative error of 1.
        Assert.All(result.LayerMaxRelativeError, e => Assert.Equal(1.0, e, 6));
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
