using TrainingService.Engine.Layers;
using System.Text.Json;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Golden;

/// <summary>One parsed <c>cnn-golden/1</c> file (see tests/data/golden/conv/README.md). Tensors are flattened in
/// row-major order, which is the engine's layout of a conv2d's W (filters × C·kh·kw) and of a linear's.</summary>
internal sealed class ConvGoldenCase
{
    public required string FileName { get; init; }
    public required Shape InputShape { get; init; }
    /// <summary>Every layer but the last linear, as a spec would list them.</summary>
    public required LayerSpec[] Layers { get; init; }
    public required int Outputs { get; init; }
    public required string Loss { get; init; }
    public required JsonElement Optimizer { get; init; }
    public required double[][] Init { get; init; }
    public required double[][] X { get; init; }
    public required double[][] Y { get; init; }
    public required int[][] Batches { get; init; }
    public required double[][] OutputStep0 { get; init; }
    public required double[][] GradsStep0 { get; init; }
    public required double[] Losses { get; init; }
    public required double[][] ParamsAfterStep1 { get; init; }
    public required double[][] FinalParams { get; init; }

    /// <summary>The folder named by TRAINING_CONV_GOLDEN_DIR, else the repository's tests/data/golden/conv.</summary>
    public static string Directory => Path.GetFullPath(SharedPaths.ConvGolden);

    public static ConvGoldenCase Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        if (root.GetProperty("format").GetString() != "cnn-golden/1") throw new InvalidDataException($"{path}: unknown format");
        string loss = root.GetProperty("loss").GetProperty("name").GetString()!;
        var shape = root.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var layers = root.GetProperty("layers").EnumerateArray().ToArray();
        var last = layers[^1];
        if (last.GetProperty("type").GetString() != "linear") throw new InvalidDataException($"{path}: the last layer is not linear");
        var exp = root.GetProperty("expected");
        var yEl = root.GetProperty("data").GetProperty("Y");
        return new ConvGoldenCase
        {
            FileName = Path.GetFileName(path),
            InputShape = new Shape(shape[0], shape[1], shape[2]),
            Layers = [.. layers[..^1].Select(ToSpec)],
            Outputs = last.GetProperty("out_features").GetInt32(),
            Loss = loss,
            Optimizer = root.GetProperty("optimizer").Clone(),
            Init = Tensors(root.GetProperty("init")),
            X = Rows(root.GetProperty("data").GetProperty("X")),
            Y = loss == "cross_entropy" ? [.. yEl.EnumerateArray().Select(v => new[] { v.GetDouble() })] : Rows(yEl),
            Batches = [.. root.GetProperty("batches").EnumerateArray().Select(b => b.EnumerateArray().Select(i => i.GetInt32()).ToArray())],
            OutputStep0 = Rows(exp.GetProperty("output_step0")),
            GradsStep0 = Tensors(exp.GetProperty("grads_step0")),
            Losses = [.. exp.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble())],
            ParamsAfterStep1 = Tensors(exp.GetProperty("params_after_step1")),
            FinalParams = Tensors(exp.GetProperty("final_params")),
        };
    }

    private static LayerSpec ToSpec(JsonElement l)
    {
        string type = l.GetProperty("type").GetString()!;
        SizePair? Pair(string name) => l.TryGetProperty(name, out var v) ? new SizePair(v[0].GetInt32(), v[1].GetInt32()) : null;
        return type switch
        {
            "conv2d" => new LayerSpec { Type = type, Filters = l.GetProperty("out_channels").GetInt32(), Kernel = Pair("kernel"), Stride = Pair("stride"), Padding = Pair("padding") },
            "maxpool2d" or "avgpool2d" => new LayerSpec { Type = type, Kernel = Pair("kernel"), Stride = Pair("stride") },
            "linear" => new LayerSpec { Type = "dense", Units = l.GetProperty("out_features").GetInt32() },
            _ => new LayerSpec { Type = type },
        };
    }

    /// <summary>Per layer with parameters: W flattened, then b — the order of the network's parameters.</summary>
    private static double[][] Tensors(JsonElement e) =>
        [.. e.EnumerateArray().SelectMany(l => new[] { Flat(l.GetProperty("W")), Flat(l.GetProperty("b")) })];

    private static double[][] Rows(JsonElement e) => [.. e.EnumerateArray().Select(Flat)];

    private static double[] Flat(JsonElement e)
    {
        var values = new List<double>();
        void Add(JsonElement x)
        {
            if (x.ValueKind == JsonValueKind.Array) foreach (var v in x.EnumerateArray()) Add(v);
            else values.Add(x.GetDouble());
        }
        Add(e);
        return [.. values];
    }
}
