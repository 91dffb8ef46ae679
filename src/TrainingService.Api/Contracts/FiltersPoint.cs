using TrainingService.Engine.Layers;

namespace TrainingService.Api.Contracts;

/// <summary>The hub message <c>filters(runId, FiltersPoint)</c> and the answer of <c>GET /api/runs/{id}/filters</c>: the
/// first conv2d layer's filters after <see cref="Epoch"/> epochs. <see cref="Weights"/>[filter][channel] holds
/// <see cref="KernelHeight"/> × <see cref="KernelWidth"/> values, row-major (PyTorch's layout); <see cref="Filters"/> and
/// <see cref="Channels"/> are the layer's, the arrays hold the first <see cref="MaxFilters"/> / <see cref="MaxChannels"/>.
/// <see cref="Layer"/> is the conv layer's index in the built network (its parameters are layers[Layer].weight).</summary>
public sealed record FiltersPoint(int Epoch, int Layer, int Filters, int Channels, int KernelHeight, int KernelWidth, float Min, float Max, float[][][] Weights)
{
    public const int MaxFilters = 64;
    public const int MaxChannels = 4;
    /// <summary>Kernels drawn at all (REST answers 409 beyond).</summary>
    public const int MaxKernelArea = 32 * 32;
    /// <summary>The live message's bound on the values it carries (shown filters × channels × kh·kw, e.g. 64 × 4 × 8×8;
    /// about 150 KB of JSON per epoch at most). A larger view is not pushed: the panel reads it over REST.</summary>
    public const int MaxLiveValues = 16_384;

    /// <summary>The first conv2d layer of <paramref name="network"/> and its index, or null without one.</summary>
    public static (int Index, Conv2d Conv)? FirstConv(Network network)
    {
        for (int i = 0; i < network.Layers.Count; i++)
            if (network.Layers[i] is Conv2d conv) return (i, conv);
        return null;
    }

    /// <summary>How many values <see cref="Of"/> copies for <paramref name="conv"/>.</summary>
    public static long ShownValues(Conv2d conv) =>
        (long)Math.Min(conv.Filters, MaxFilters) * Math.Min(conv.Input.Channels, MaxChannels) * conv.Kernel.H * conv.Kernel.W;

    public static FiltersPoint Of(int epoch, int layer, Conv2d conv)
    {
        int channels = conv.Input.Channels, area = conv.Kernel.H * conv.Kernel.W, window = channels * area;
        int shownFilters = Math.Min(conv.Filters, MaxFilters), shownChannels = Math.Min(channels, MaxChannels);
        float[] w = conv.Weights.Data;
        var weights = new float[shownFilters][][];
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        for (int f = 0; f < shownFilters; f++)
        {
            weights[f] = new float[shownChannels][];
            for (int c = 0; c < shownChannels; c++)
            {
                weights[f][c] = w.AsSpan(f * window + c * area, area).ToArray();
                foreach (float x in weights[f][c]) { min = Math.Min(min, x); max = Math.Max(max, x); }
            }
        }
        return new(epoch, layer, conv.Filters, channels, conv.Kernel.H, conv.Kernel.W, min, max, weights);
    }
}
