using TrainingService.Engine.Activations;
using TrainingService.Engine.Layers;

namespace TrainingService.Engine.Gradients;

/// <summary>
/// The network's loss on one batch recomputed in float64 with plain loops — a reference, not a fast path.
/// Central differences on it are accurate to ~1e-8, so a gradient check against it measures backprop's
/// error, not the float32 noise of the difference quotient. It covers every layer kind a network is built from
/// (<see cref="Float64Layers"/>) except dropout with a rate above 0, whose mask is a draw of the training pass.
/// </summary>
internal sealed class Float64Reference
{
    private readonly Network _net;
    private readonly ILayer[] _layers;
    /// <summary>Per parameter (<see cref="Network.Parameters"/> order), its values in float64.</summary>
    private readonly double[][] _tensors;
    /// <summary>Per layer, the index of its first parameter (W; b follows), or −1.</summary>
    private readonly int[] _firstParameter;
    /// <summary>Per layer, Z and A (rows × output size), reused by every <see cref="Loss"/>.</summary>
    private readonly double[][] _z, _a;
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
        _layers = [.. net.Layers];
        for (int l = 0; l < _layers.Length; l++)
            if (!Supports(_layers[l])) throw new NotSupportedException($"the float64 reference does not cover layers[{l}] ({_layers[l].Kind}{(_layers[l] is Dropout ? ": a dropout mask is a random draw of the training pass" : "")})");
        _tensors = [.. net.Parameters.Select(p => p.Data.Select(v => (double)v).ToArray())];
        _firstParameter = new int[_layers.Length];
        Array.Fill(_firstParameter, -1);
        for (int p = net.Parameters.Count - 1; p >= 0; p--) _firstParameter[net.LayerOf(p)] = p;
        _z = [.. _layers.Select(l => new double[rows * l.Output.Size])];
        _a = [.. _layers.Select(l => new double[rows * l.Output.Size])];
        KinkUnits = _layers.Sum(l => HasKink(l) ? rows * l.Output.Size : 0);
    }

    /// <summary>Whether <paramref name="layer"/> is one this reference recomputes.</summary>
    public static bool Supports(ILayer layer) =>
        layer is Dense or Conv2d or MaxPool2d or AvgPool2d or Flatten or ActivationLayer || layer is Dropout { Rate: 0 };

    /// <summary>Values whose side of a kink <see cref="Loss"/> records: the pre-activations of layers whose activation has
    /// a kink at 0 (relu, leaky_relu, step) and the choice of every max-pool window.</summary>
    public int KinkUnits { get; }

    private static bool HasKink(ILayer layer) => layer is MaxPool2d || layer.Activation is Relu or LeakyRelu or Step;

    /// <summary>The parameter tensors in <see cref="Network.Parameters"/> order (W₁, b₁, W₂, …), editable.</summary>
    public double[] Tensor(int parameterIndex) => _tensors[parameterIndex];

    /// <summary>The batch loss; when <paramref name="kinkSides"/> is given (<see cref="KinkUnits"/> long) it receives, for
    /// every pre-activation of a kinked layer, which side of the kink it is on (z &gt; 0), and for every max-pool output
    /// the input it took.</summary>
    public double Loss(Span<int> kinkSides = default)
    {
        int side = 0;
        double[] h = _input;
        for (int l = 0; l < _layers.Length; l++)
        {
            _cancellation.ThrowIfCancellationRequested();
            var layer = _layers[l];
            double[] z = _z[l], a = _a[l];
            int p = _firstParameter[l];
            bool record = !kinkSides.IsEmpty && HasKink(layer);
            switch (layer)
            {
                case Dense d: Float64Layers.Dense(d, h, _tensors[p], _tensors[p + 1], z, _rows, _cancellation); break;
                case Conv2d c: Float64Layers.Conv2d(c, h, _tensors[p], _tensors[p + 1], z, _rows, _cancellation); break;
                case MaxPool2d m: Float64Layers.MaxPool(m, h, z, _rows, record ? kinkSides.Slice(side, z.Length) : []); break;
                case AvgPool2d v: Float64Layers.AvgPool(v, h, z, _rows); break;
                default: Array.Copy(h, z, z.Length); break; // flatten, dropout at rate 0, an activation layer (Z = its input)
            }
            if (record && layer is not MaxPool2d)
                for (int i = 0; i < z.Length; i++) kinkSides[side + i] = z[i] > 0 ? 1 : 0;
            if (record) side += z.Length;
            Activate(layer.Activation, z, a, layer.Output.Size);
            h = a;
        }
        return LossOf(_z[^1], h, _net.Outputs);
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
