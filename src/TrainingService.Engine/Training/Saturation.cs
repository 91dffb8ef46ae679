using TrainingService.Engine.Activations;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Training;

/// <summary>
/// Measures how many sigmoid/tanh units sit on their flat tails, where f' is under 10 % of its peak
/// (sigmoid: a(1−a) &lt; 0.025, i.e. a &lt; 0.026 or a &gt; 0.974; tanh: 1 − a² &lt; 0.1, i.e. |a| &gt; 0.949).
/// Gradients through such units are multiplied by almost nothing, layer after layer.
/// </summary>
public sealed class Saturation
{
    public const int SampleRows = 256;
    private readonly Network _net;
    private readonly Workspace _ws;
    private readonly Matrix _x;
    private readonly bool _anySaturating;

    public Saturation(Network net)
    {
        _net = net;
        _anySaturating = net.Layers.Any(l => l.Activation is Sigmoid or Tanh);
        _ws = net.CreateWorkspace(SampleRows, withGradients: false);
        _x = new Matrix(SampleRows, net.Inputs);
    }

    /// <summary>Per hidden and output layer: the saturated fraction on the first rows of <paramref name="split"/>, or null.</summary>
    public double?[] Measure(EncodedSplit split)
    {
        var result = new double?[_net.Layers.Count];
        int rows = Math.Min(SampleRows, split.Count);
        if (rows == 0 || !_anySaturating) return result; // nothing to measure: skip the forward pass
        _x.SetRows(rows);
        split.X.AsSpan(0, rows * split.Features).CopyTo(_x.Span);
        _net.Forward(_x, _ws);
        for (int l = 0; l < _net.Layers.Count; l++)
        {
            var act = _net.Layers[l].Activation;
            if (act is not (Sigmoid or Tanh)) continue;
            ReadOnlySpan<float> a = _ws.A[l].ReadOnly;
            int saturated = 0;
            foreach (float v in a)
                if (act is Sigmoid ? v * (1 - v) < 0.025f : 1 - v * v < 0.1f) saturated++;
            result[l] = (double)saturated / a.Length;
        }
        return result;
    }
}
