using System.Text.Json;

namespace TrainingService.Engine.Tests.Golden;

/// <summary>One parsed <c>mlp-golden/1</c> file (see tests/data/golden/README.md).</summary>
internal sealed class GoldenCase
{
    public required string FileName { get; init; }
    public required int[] LayerSizes { get; init; }
    public required string[] Activations { get; init; }
    public required string Loss { get; init; }
    public required JsonElement Optimizer { get; init; }
    public required (double[][] W, double[] b)[] Init { get; init; }
    public required double[][] X { get; init; }
    /// <summary>Targets as rows: class index (one value) for cross_entropy, else the target vector.</summary>
    public required double[][] Y { get; init; }
    public required int[][] Batches { get; init; }
    public required double[][] OutputStep0 { get; init; }
    public required (double[][] W, double[] b)[] GradsStep0 { get; init; }
    public required double[] Losses { get; init; }
    public required (double[][] W, double[] b)[] ParamsAfterStep1 { get; init; }
    public required (double[][] W, double[] b)[] FinalParams { get; init; }

    /// <summary>The folder named by TRAINING_GOLDEN_DIR, else the repository's tests/data/golden.</summary>
    public static string Directory => Path.GetFullPath(SharedPaths.Golden);

    public static GoldenCase Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        if (root.GetProperty("format").GetString() != "mlp-golden/1") throw new InvalidDataException($"{path}: unknown format");
        string loss = root.GetProperty("loss").GetProperty("name").GetString()!;
        var exp = root.GetProperty("expected");
        var yEl = root.GetProperty("data").GetProperty("Y");
        double[][] y = loss == "cross_entropy"
            ? yEl.EnumerateArray().Select(v => new[] { v.GetDouble() }).ToArray()
            : Matrix(yEl);
        return new GoldenCase
        {
            FileName = Path.GetFileName(path),
            LayerSizes = root.GetProperty("model").GetProperty("layer_sizes").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            Activations = root.GetProperty("model").GetProperty("activations").EnumerateArray().Select(e => e.GetString()!).ToArray(),
            Loss = loss,
            Optimizer = root.GetProperty("optimizer").Clone(),
            Init = Layers(root.GetProperty("init")),
            X = Matrix(root.GetProperty("data").GetProperty("X")),
            Y = y,
            Batches = root.GetProperty("batches").EnumerateArray().Select(b => b.EnumerateArray().Select(i => i.GetInt32()).ToArray()).ToArray(),
            OutputStep0 = Matrix(exp.GetProperty("output_step0")),
            GradsStep0 = Layers(exp.GetProperty("grads_step0")),
            Losses = exp.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            ParamsAfterStep1 = Layers(exp.GetProperty("params_after_step1")),
            FinalParams = Layers(exp.GetProperty("final_params")),
        };
    }

    private static double[][] Matrix(JsonElement e) =>
        e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    private static (double[][] W, double[] b)[] Layers(JsonElement e) =>
        e.EnumerateArray().Select(l => (Matrix(l.GetProperty("W")), l.GetProperty("b").EnumerateArray().Select(v => v.GetDouble()).ToArray())).ToArray();
}
