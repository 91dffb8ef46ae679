using TrainingService.Engine.Tensors;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Layers;

/// <summary>
/// Weight initialisation schemes, seeded. fan_in = inputs, fan_out = outputs of the layer.
/// <list type="bullet">
/// <item><c>default</c>: PyTorch nn.Linear — W, b ~ U(−1/√fan_in, 1/√fan_in).</item>
/// <item><c>xavier</c>: Glorot &amp; Bengio 2010 — W ~ U(±√(6/(fan_in+fan_out))), b = 0.</item>
/// <item><c>he</c>: He et al. 2015 (kaiming_normal, ReLU gain) — W ~ N(0, 2/fan_in), b = 0.</item>
/// </list>
/// </summary>
public static class Initializer
{
    /// <summary>The schemes as the spec names them (<see cref="Initialize"/> applies them).</summary>
    public static IReadOnlyList<Entry> Entries { get; } =
    [
        new("default", "PyTorch's nn.Linear: W, b ~ U(−1/√fan_in, 1/√fan_in)"),
        new("xavier", "Glorot & Bengio 2010: W ~ U(±√(6/(fan_in+fan_out))), b = 0"),
        new("he", "He et al. 2015 (kaiming_normal, ReLU gain): W ~ N(0, 2/fan_in), b = 0"),
    ];

    public static readonly string[] Names = [.. Entries.Select(e => e.Name)];

    public static void Initialize(Parameter weights, Parameter bias, string scheme, Rng rng) =>
        Initialize(weights, bias, scheme, rng, weights.Cols, weights.Rows);

    /// <summary>With the fans given (a convolution's are C·kh·kw and filters·kh·kw, as PyTorch computes them).</summary>
    public static void Initialize(Parameter weights, Parameter bias, string scheme, Rng rng, int fanIn, int fanOut)
    {
        switch (scheme)
        {
            case "default":
                double bound = 1.0 / Math.Sqrt(fanIn);
                Uniform(weights.Data, bound, rng);
                Uniform(bias.Data, bound, rng);
                break;
            case "xavier":
                Uniform(weights.Data, Math.Sqrt(6.0 / (fanIn + fanOut)), rng);
                Array.Clear(bias.Data);
                break;
            case "he":
                double std = Math.Sqrt(2.0 / fanIn);
                for (int i = 0; i < weights.Data.Length; i++) weights.Data[i] = (float)(std * rng.NextGaussian());
                Array.Clear(bias.Data);
                break;
            default:
                throw new ArgumentException($"unknown init '{scheme}'; expected one of {string.Join(", ", Names)}", nameof(scheme));
        }
    }

    private static void Uniform(float[] data, double bound, Rng rng)
    {
        for (int i = 0; i < data.Length; i++) data[i] = (float)rng.Uniform(-bound, bound);
    }
}
