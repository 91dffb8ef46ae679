using System.Numerics.Tensors;
using TrainingService.Engine.Activations;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>The per-sample passes of a <see cref="Conv2d"/>: im2col and col2im between the input and a chunk's columns,
/// and the moves between the product's filter-major order and the samples' Z and ∂L/∂Z.</summary>
public sealed partial class Conv2d
{
    /// <summary>Samples first + [r0, r1) of a chunk: row (c, ky, kx) of cols, columns n·P + p = the input under that offset of each output
    /// position p, zero where it falls in the padding. With stride 1 a row of outputs reads a run of the input row.</summary>
    private readonly unsafe struct Im2Col(Conv2d layer, float[] input, float[] cols, int offset, int first, int columns) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            Shape s = layer.Input;
            var (kh, kw) = layer.Kernel; var (sh, sw) = layer.Stride; var (ph, pw) = layer.Padding;
            int oh = layer.Output.Height, ow = layer.Output.Width, positions = oh * ow, plane = s.Height * s.Width;
            fixed (float* px = input, pc = cols)
                for (int n = r0; n < r1; n++)
                {
                    float* x = px + (long)(first + n) * s.Size;
                    int row = 0;
                    for (int c = 0; c < s.Channels; c++)
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++, row++)
                            {
                                float* dst = pc + offset + (long)row * columns + (long)n * positions;
                                // outputs ox with 0 ≤ ox·sw + x0 < width read the input; the rest are padding
                                var (x0, lo, hi) = Reach(kx, pw, sw, s.Width, ow);
                                for (int oy = 0; oy < oh; oy++, dst += ow)
                                {
                                    int y = oy * sh - ph + ky;
                                    bool inside = (uint)y < (uint)s.Height;
                                    float* src = x + c * plane + (inside ? y : 0) * s.Width + x0;
                                    // the rest of this sample's positions follow: a store may spill into them
                                    if (sw == 1) Kernels.CopyWindow(src, dst, ow, inside ? lo : 0, inside ? hi : 0, positions - (oy + 1) * ow);
                                    else for (int ox = 0; ox < ow; ox++) dst[ox] = inside && ox >= lo && ox < hi ? src[ox * sw] : 0f;
                                }
                            }
                }
        }
    }

    /// <summary>Kernel column kx reads input column ox·sw + x0 (x0 = kx − padding) for outputs lo ≤ ox &lt; hi; the
    /// others fall in the padding.</summary>
    private static (int X0, int Lo, int Hi) Reach(int kx, int padding, int stride, int width, int outputs)
    {
        int x0 = kx - padding;
        int lo = x0 >= 0 ? 0 : (-x0 + stride - 1) / stride;
        int hi = width - 1 - x0 < 0 ? 0 : Math.Min(outputs, (width - 1 - x0) / stride + 1);
        return (x0, lo, Math.Max(lo, hi));
    }

    /// <summary>Samples first + [r0, r1) of a chunk: dX = Σ over the window offsets (c, ky, kx), in order, of that row of dCols added
    /// under the positions it came from.</summary>
    private readonly struct Col2Im(Conv2d layer, float[] dCols, int offset, float[] dInput, int first, int columns) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            Shape s = layer.Input;
            var (kh, kw) = layer.Kernel; var (sh, sw) = layer.Stride; var (ph, pw) = layer.Padding;
            int oh = layer.Output.Height, ow = layer.Output.Width, positions = oh * ow, plane = s.Height * s.Width;
            for (int n = r0; n < r1; n++)
            {
                Span<float> dx = dInput.AsSpan((first + n) * s.Size, s.Size);
                dx.Clear();
                int row = 0;
                for (int c = 0; c < s.Channels; c++)
                    for (int ky = 0; ky < kh; ky++)
                        for (int kx = 0; kx < kw; kx++, row++)
                        {
                            ReadOnlySpan<float> src = dCols.AsSpan(offset + row * columns + n * positions, positions);
                            int x0 = kx - pw;
                            int lo = x0 >= 0 ? 0 : (-x0 + sw - 1) / sw, hi = Math.Min(ow, (s.Width - 1 - x0) / sw + 1);
                            if (s.Width - 1 - x0 < 0 || hi <= lo) continue;
                            for (int oy = 0; oy < oh; oy++)
                            {
                                int y = oy * sh - ph + ky;
                                if ((uint)y >= (uint)s.Height) continue;
                                int dst = c * plane + y * s.Width + x0;
                                ReadOnlySpan<float> g = src.Slice(oy * ow + lo, hi - lo);
                                if (sw == 1)
                                {
                                    Span<float> d = dx.Slice(dst + lo, hi - lo);
                                    TensorPrimitives.Add(d, g, d);
                                }
                                else for (int i = 0; i < g.Length; i++) dx[dst + (lo + i) * sw] += g[i];
                            }
                        }
            }
        }
    }

    /// <summary>Samples first + [r0, r1) of a chunk: Z[n, f, :] = product[f, (n − first)·P …] + b[f], then A = f(Z).</summary>
    private readonly struct ToSamples(float[] product, int offset, float[] z, float[] a, float[] bias, int positions, int first, int columns, IActivation activation) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            int filters = bias.Length, size = filters * positions;
            for (int n = r0; n < r1; n++)
                for (int f = 0; f < filters; f++)
                    TensorPrimitives.Add(product.AsSpan(offset + f * columns + n * positions, positions), bias[f], z.AsSpan((first + n) * size + f * positions, positions));
            int start = (first + r0) * size, count = (r1 - r0) * size;
            activation.Forward(z.AsSpan(start, count), a.AsSpan(start, count), size);
        }
    }

    /// <summary>Samples first + [r0, r1) of a chunk: product-order[f, (n − first)·P + p] = dZ[n, f, p], and each (n, f)'s
    /// Σ_p in double on the way.</summary>
    private readonly struct ToFilters(float[] dz, float[] product, int offset, double[] sampleSums, int positions, int first, int columns, int filters) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            int size = filters * positions;
            for (int n = r0; n < r1; n++)
                for (int f = 0; f < filters; f++)
                {
                    ReadOnlySpan<float> g = dz.AsSpan((first + n) * size + f * positions, positions);
                    g.CopyTo(product.AsSpan(offset + f * columns + n * positions, positions));
                    sampleSums[(first + n) * filters + f] = Kernels.Sum(g);
                }
        }
    }
}
