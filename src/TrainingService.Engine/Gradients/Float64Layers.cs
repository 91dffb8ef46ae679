using TrainingService.Engine.Layers;

namespace TrainingService.Engine.Gradients;

/// <summary>
/// The pre-activations Z of one layer kind for a batch of <c>rows</c> samples, in float64 with plain loops, written from
/// the definitions (PyTorch's nn.Linear, nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d), not from the engine's kernels: what
/// <see cref="Float64Reference"/> differentiates numerically. Samples are rows of C×H×W values, channel-major.
/// <paramref name="cancellation"/> is observed per sample (a few ms at most).
/// </summary>
internal static class Float64Layers
{
    /// <summary>z[r, o] = b[o] + Σᵢ x[r, i]·W[o, i].</summary>
    public static void Dense(Dense layer, double[] x, double[] w, double[] b, double[] z, int rows, CancellationToken cancellation)
    {
        int n = layer.Outputs, k = layer.Inputs;
        for (int r = 0; r < rows; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            for (int o = 0; o < n; o++)
            {
                double s = b[o];
                for (int i = 0; i < k; i++) s += x[r * k + i] * w[o * k + i];
                z[r * n + o] = s;
            }
        }
    }

    /// <summary>z[r, f, y, x] = b[f] + Σ_c Σ_ky Σ_kx W[f, c, ky, kx]·in[r, c, y·sh − ph + ky, x·sw − pw + kx], zero outside the
    /// input (cross-correlation, as PyTorch's conv2d).</summary>
    public static void Conv2d(Conv2d layer, double[] x, double[] w, double[] b, double[] z, int rows, CancellationToken cancellation)
    {
        var (input, output) = (layer.Input, layer.Output);
        var ((kh, kw), (sh, sw), (ph, pw)) = (layer.Kernel, layer.Stride, layer.Padding);
        int window = input.Channels * kh * kw;
        for (int r = 0; r < rows; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            int inAt = r * input.Size, outAt = r * output.Size;
            for (int f = 0; f < output.Channels; f++)
                for (int oy = 0; oy < output.Height; oy++)
                    for (int ox = 0; ox < output.Width; ox++)
                    {
                        double s = b[f];
                        for (int c = 0; c < input.Channels; c++)
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int iy = oy * sh - ph + ky;
                                if (iy < 0 || iy >= input.Height) continue;
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int ix = ox * sw - pw + kx;
                                    if (ix < 0 || ix >= input.Width) continue;
                                    s += w[f * window + (c * kh + ky) * kw + kx] * x[inAt + (c * input.Height + iy) * input.Width + ix];
                                }
                            }
                        z[outAt + (f * output.Height + oy) * output.Width + ox] = s;
                    }
        }
    }

    /// <summary>Each window's maximum per channel; <paramref name="argmax"/> (one per output value) receives the input index
    /// chosen, the first of equal maxima: the max's kink is where that choice changes.</summary>
    public static void MaxPool(MaxPool2d layer, double[] x, double[] z, int rows, Span<int> argmax) =>
        Pool(layer.Input, layer.Output, layer.Pool, x, z, rows, argmax, max: true);

    /// <summary>Each window's mean per channel.</summary>
    public static void AvgPool(AvgPool2d layer, double[] x, double[] z, int rows) =>
        Pool(layer.Input, layer.Output, layer.Pool, x, z, rows, [], max: false);

    private static void Pool(Tensors.Shape input, Tensors.Shape output, Pooling pool, double[] x, double[] z, int rows, Span<int> argmax, bool max)
    {
        var ((kh, kw), (sh, sw)) = (pool.Kernel, pool.Stride);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < output.Channels; c++)
                for (int oy = 0; oy < output.Height; oy++)
                    for (int ox = 0; ox < output.Width; ox++)
                    {
                        double best = double.NegativeInfinity, sum = 0;
                        int at = -1;
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int i = r * input.Size + (c * input.Height + oy * sh + ky) * input.Width + ox * sw + kx;
                                if (x[i] > best || at < 0) { best = x[i]; at = i; }
                                sum += x[i];
                            }
                        int o = r * output.Size + (c * output.Height + oy) * output.Width + ox;
                        z[o] = max ? best : sum / (kh * kw);
                        if (max && !argmax.IsEmpty) argmax[o] = at;
                    }
    }
}
