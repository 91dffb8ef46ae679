using TrainingService.Engine.Activations;
using TrainingService.Engine.Layers;

namespace TrainingService.Engine.Gradients;

/// <summary>
/// The network's loss on one batch recomputed in float64 with plain loops — a reference, not a fast path.
/// Central differences on it are accurate to ~1e-8, so a gradient check against it measures backprop's
/// error, not the float32 noise of the difference quotient.
/// </summary>
internal sealed class Float64Reference
{
    private readonly Network _net;
    private readonly Dense[] _layers;
    private readonly double[][] _weights;
    private readonly double[][] _biases;
    private readonly double[] _input;
    private readonly float[] _targets;
    private readonly int _rows;
    private readonly string _loss;
    private readonly CancellationToken _cancellation;

    public Float64Reference(Network net, ReadOnlySpan<float> input, int rows, ReadOnlySpan<float> targets, string loss,
        CancellationToken cancellationToken = default)
    {
        _net = net; _rows = rows; _loss = loss; _cancellation = cancellationToken;
        _input = new double[input.Length];
        for (int i = 0; i < input.Length; i++) _input[i] = input[i];
        _targets = targets.ToArray();
        _layers = [.. net.Layers.Select((l, i) => l as Dense ?? throw new NotSupportedException($"the float64 reference covers dense layers; layers[{i}] is {l.Kind}"))];
        _weights = _layers.Select(l => l.Weights.Data.Select(v => (double)v).ToArray()).ToArray();
        _biases = _layers.Select(l => l.Bias.Data.Select(v => (double)v).ToArray()).ToArray();
        KinkUnits = _layers.Where(l => HasKink(l.Activation)).Sum(l => rows * l.Outputs);
    }

    /// <summary>Pre-activations (rows × units) of the layers whose activation has a kink at 0: relu, leaky_relu, step.</summary>
    public int KinkUnits { get; }

    private static bool HasKink(IActivation act) => act is Relu or LeakyRelu or Step;

    /// <summary>The parameter tensors in <see cref="Network.Parameters"/> order (W₁, b₁, W₂, …), editable.</summary>
    public double[] Tensor(int parameterIndex) => parameterIndex % 2 == 0 ? _weights[parameterIndex / 2] : _biases[parameterIndex / 2];

    /// <summary>The batch loss; when <paramref name="kinkSides"/> is given (<see cref="KinkUnits"/> long) it receives, for
    /// every pre-activation of a kinked layer, which side of the kink it is on (z &gt; 0).</summary>
    public double Loss(Span<bool> kinkSides = default)
    {
        int side = 0;
        double[] h = _input;
        double[] z = [];
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            int n = layer.Outputs, k = layer.Inputs;
            z = new double[_rows * n];
            var a = new double[_rows * n];
            for (int r = 0; r < _rows; r++)
            {
                // One row of a 2048-wide layer is ~4 M multiply-adds, a few ms: the grain at which a cancel is seen.
                _cancellation.ThrowIfCancellationRequested();
                for (int o = 0; o < n; o++)
                {
                    double s = _biases[l][o];
                    for (int i = 0; i < k; i++) s += h[r * k + i] * _weights[l][o * k + i];
                    z[r * n + o] = s;
                }
            }
            if (!kinkSides.IsEmpty && HasKink(layer.Activation))
                for (int i = 0; i < z.Length; i++) kinkSides[side++] = z[i] > 0;
            Activate(layer.Activation, z, a, n);
            h = a;
        }
        return LossOf(z, h, _net.Outputs);
    }

    private static void Activate(IActivation act, double[] z, double[] a, int cols)
    {
        for (int i = 0; i < z.Length; i++)
            a[i] = act switch
            {
                Sigmoid => 1 / (1 + Math.Exp(-z[i])),
                Tanh => Math.Tanh(z[i]),
                Relu => Math.Max(z[i], 0),
                LeakyRelu lr => z[i] > 0 ? z[i] : lr.Slope * z[i],
                Step => z[i] > 0 ? 1 : 0,
                _ => z[i],
            };
        if (act is Softmax)
            for (int r = 0; r < z.Length / cols; r++)
            {
                double max = double.NegativeInfinity, sum = 0;
                for (int j = 0; j < cols; j++) max = Math.Max(max, z[r * cols + j]);
                for (int j = 0; j < cols; j++) sum += a[r * cols + j] = Math.Exp(z[r * cols + j] - max);
                for (int j = 0; j < cols; j++) a[r * cols + j] /= sum;
            }
    }

    private double LossOf(double[] z, double[] y, int m)
    {
        double sum = 0;
        switch (_loss)
        {
            case "cross_entropy":
                for (int r = 0; r < _rows; r++)
                {
                    double max = double.NegativeInfinity, se = 0;
                    for (int j = 0; j < m; j++) max = Math.Max(max, z[r * m + j]);
                    for (int j = 0; j < m; j++) se += Math.Exp(z[r * m + j] - max);
                    sum += max + Math.Log(se) - z[r * m + (int)_targets[r]];
                }
                return sum / _rows;
            case "bce":
                for (int i = 0; i < z.Length; i++) sum += Math.Max(z[i], 0) - z[i] * _targets[i] + Math.Log(1 + Math.Exp(-Math.Abs(z[i])));
                return sum / z.Length;
            case "l1":
                for (int i = 0; i < y.Length; i++) sum += Math.Abs(y[i] - _targets[i]);
                return sum / y.Length;
            default:
                for (int i = 0; i < y.Length; i++) sum += (y[i] - _targets[i]) * (y[i] - _targets[i]);
                return sum / y.Length;
        }
    }
}
