using System.Text.Json;
using TrainingService.Engine.Activations;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Losses;
using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Golden;

/// <summary>
/// One case per <c>*.json</c> in the golden folder: forward output, step-0 gradients, every step's loss,
/// parameters after step 1 and at the end, at the float32 tolerance of the golden README.
/// </summary>
public sealed class GoldenTests
{
    private const double Rtol = 1e-3, Atol = 1e-5;

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(GoldenCase.Directory, "*.json").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Fact]
    public void GoldenFolderHoldsCases() => Assert.NotEmpty(Files());

    [Theory]
    [MemberData(nameof(Files))]
    public void GoldenRunMatchesReference(string file)
    {
        var g = GoldenCase.Load(Path.Combine(GoldenCase.Directory, file));
        var net = new Network(g.LayerSizes, g.Activations.Select(Activation.Create).ToArray());
        SetParameters(net, g.Init);
        ILoss loss = Loss.Create(g.Loss);
        Optimizer opt = CreateOptimizer(g.Optimizer);
        int maxBatch = g.Batches.Max(b => b.Length);
        var ws = net.CreateWorkspace(maxBatch, withGradients: true);
        int tw = loss.TargetWidth(net.Outputs);
        var x = new Matrix(maxBatch, g.LayerSizes[0]);
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
            Matrix output = net.Forward(x, ws);
            if (k == 0)
                for (int r = 0; r < batch.Length; r++)
                    for (int c = 0; c < output.Cols; c++)
                        AssertClose(g.OutputStep0[r][c], output[r, c], $"output_step0[{r}][{c}]");
            Matrix dz = ws.DZ[^1];
            double value = loss.Evaluate(ws.Z[^1], output, y.AsSpan(0, batch.Length * tw), net.OutputActivation, dz.Span);
            AssertClose(g.Losses[k], value, $"losses[{k}]");
            net.Backward(x, ws);
            if (k == 0) AssertParameters(net, g.GradsStep0, grads: true, "grads_step0");
            opt.Step(net.Parameters);
            if (k == 0) AssertParameters(net, g.ParamsAfterStep1, grads: false, "params_after_step1");
        }
        AssertParameters(net, g.FinalParams, grads: false, "final_params");
    }

    /// <summary>Maps the file's PyTorch hyperparameters onto our spec (sgd with momentum becomes momentum/nesterov).</summary>
    internal static Optimizer CreateOptimizer(JsonElement o)
    {
        string name = o.GetProperty("name").GetString()!;
        double? Get(string p) => o.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        bool nesterov = o.TryGetProperty("nesterov", out var nv) && nv.ValueKind == JsonValueKind.True;
        if (name == "sgd" && (Get("momentum") ?? 0) > 0) name = nesterov ? "nesterov" : "momentum";
        Assert.True((Get("dampening") ?? 0) == 0, "dampening ≠ 0 is not supported");
        var spec = new OptimizerSpec
        {
            Type = name,
            LearningRate = Get("lr"),
            Momentum = Get("momentum"),
            Epsilon = Get("eps"),
            Rho = Get("rho"),
            Alpha = Get("alpha"),
            WeightDecay = Get("weight_decay"),
        };
        if (o.TryGetProperty("betas", out var betas))
        {
            spec.Beta1 = betas[0].GetDouble();
            spec.Beta2 = betas[1].GetDouble();
        }
        return OptimizerFactory.Create(spec);
    }

    private static void SetParameters(Network net, (double[][] W, double[] b)[] layers)
    {
        for (int l = 0; l < layers.Length; l++)
        {
            var layer = (Dense)net.Layers[l];
            for (int o = 0; o < layer.Outputs; o++)
            {
                for (int i = 0; i < layer.Inputs; i++) layer.Weights.Data[o * layer.Inputs + i] = (float)layers[l].W[o][i];
                layer.Bias.Data[o] = (float)layers[l].b[o];
            }
        }
    }

    private static void AssertParameters(Network net, (double[][] W, double[] b)[] expected, bool grads, string what)
    {
        for (int l = 0; l < expected.Length; l++)
        {
            var layer = (Dense)net.Layers[l];
            float[] w = grads ? layer.Weights.Grad : layer.Weights.Data;
            float[] b = grads ? layer.Bias.Grad : layer.Bias.Data;
            for (int o = 0; o < layer.Outputs; o++)
            {
                for (int i = 0; i < layer.Inputs; i++) AssertClose(expected[l].W[o][i], w[o * layer.Inputs + i], $"{what}[{l}].W[{o}][{i}]");
                AssertClose(expected[l].b[o], b[o], $"{what}[{l}].b[{o}]");
            }
        }
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        if (!(Math.Abs(actual - expected) <= Rtol * Math.Abs(expected) + Atol))
            Assert.Fail($"{what}: expected {expected:R}, got {actual:R} (|Δ| = {Math.Abs(actual - expected):E3})");
    }
}
