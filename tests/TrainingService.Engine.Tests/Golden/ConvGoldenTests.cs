using TrainingService.Engine.Activations;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Losses;
using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Golden;

/// <summary>
/// One case per <c>*.json</c> in the convolution golden folder (<c>TRAINING_CONV_GOLDEN_DIR</c>, else the repository's
/// copy), named after its file: the network is built from the file's layers as a spec's <c>model.layers</c> would be
/// (<see cref="LayerStack"/>, activations fused), then output and gradients at step 0, parameters after step 1, every
/// loss and the final parameters, at the golden README's float32 tolerances.
/// </summary>
public sealed class ConvGoldenTests
{
    private const double Rtol = 1e-3, Atol = 1e-5;

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(ConvGoldenCase.Directory, "*.json").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Fact]
    public void ConvGoldenFolderHoldsCases() => Assert.NotEmpty(Files());

    [Theory]
    [MemberData(nameof(Files))]
    public void ConvGoldenRunMatchesReference(string file)
    {
        var g = ConvGoldenCase.Load(Path.Combine(ConvGoldenCase.Directory, file));
        var output = Activation.Create(Loss.RequiredOutputActivation(g.Loss) ?? "identity");
        var net = new Network(LayerStack.Build(g.InputShape, g.Layers, g.Outputs, output, seed: 1));
        Assert.Equal(g.Init.Length, net.Parameters.Count);
        for (int p = 0; p < g.Init.Length; p++)
        {
            Assert.Equal(g.Init[p].Length, net.Parameters[p].Length);
            for (int i = 0; i < g.Init[p].Length; i++) net.Parameters[p].Data[i] = (float)g.Init[p][i];
        }
        ILoss loss = Loss.Create(g.Loss);
        Optimizer opt = GoldenTests.CreateOptimizer(g.Optimizer);
        int maxBatch = g.Batches.Max(b => b.Length);
        var ws = net.CreateWorkspace(maxBatch, withGradients: true);
        int tw = loss.TargetWidth(net.Outputs);
        var x = new Matrix(maxBatch, g.InputShape.Size);
        var y = new float[maxBatch * tw];

        for (int k = 0; k < g.Batches.Length; k++)
        {
            int[] batch = g.Batches[k];
            x.SetRows(batch.Length);
            for (int r = 0; r < batch.Length; r++)
            {
                for (int c = 0; c < x.Cols; c++) x[r, c] = (float)g.X[batch[r]][c];
                for (int c = 0; c < tw; c++) y[r * tw + c] = (float)g.Y[batch[r]][c];
            }
            Matrix outputs = net.Forward(x, ws);
            if (k == 0)
                for (int r = 0; r < batch.Length; r++)
                    for (int c = 0; c < outputs.Cols; c++)
                        AssertClose(g.OutputStep0[r][c], outputs[r, c], $"output_step0[{r}][{c}]");
            double value = loss.Evaluate(ws.Z[^1], outputs, y.AsSpan(0, batch.Length * tw), net.OutputActivation, ws.DZ[^1].Span);
            AssertClose(g.Losses[k], value, $"losses[{k}]");
            net.Backward(x, ws);
            if (k == 0) AssertParameters(net, g.GradsStep0, grads: true, "grads_step0");
            opt.Step(net.Parameters);
            if (k == 0) AssertParameters(net, g.ParamsAfterStep1, grads: false, "params_after_step1");
        }
        AssertParameters(net, g.FinalParams, grads: false, "final_params");
    }

    private static void AssertParameters(Network net, double[][] expected, bool grads, string what)
    {
        for (int p = 0; p < expected.Length; p++)
        {
            float[] actual = grads ? net.Parameters[p].Grad : net.Parameters[p].Data;
            string tensor = p % 2 == 0 ? "W" : "b";
            for (int i = 0; i < expected[p].Length; i++) AssertClose(expected[p][i], actual[i], $"{what}[{p / 2}].{tensor}[{i}] (flat)");
        }
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        if (!(Math.Abs(actual - expected) <= Rtol * Math.Abs(expected) + Atol))
            Assert.Fail($"{what}: expected {expected:R}, got {actual:R} (|Δ| = {Math.Abs(actual - expected):E3})");
    }
}
