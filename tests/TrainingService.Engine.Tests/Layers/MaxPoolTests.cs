using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Layers;

/// <summary>Max pooling against a plain reference: the window's first maximum in row-major order (a NaN wins, as in
/// PyTorch), and the gradient routed to it. Widths cover the vectorized 2×2 path's groups of 8 and 4, their
/// overlapping tails, and the scalar path (odd windows, overlapping strides, rows too short for a group).</summary>
public sealed class MaxPoolTests
{
    [Theory]
    [InlineData(3, 28, 28, 2, 2)] // 14 outputs a row: a group of 8 and an overlapping tail
    [InlineData(2, 14, 14, 2, 2)] // 7: groups of 4
    [InlineData(2, 8, 40, 2, 2)]  // 20: groups of 8, tail of 4 overlapping
    [InlineData(2, 6, 6, 2, 2)]   // 3 outputs: scalar
    [InlineData(2, 9, 11, 3, 2)]  // 3×3 windows, stride 2
    [InlineData(1, 7, 9, 2, 1)]   // overlapping 2×2
    public void EveryOutputIsItsWindowsFirstMaximumAndTakesItsGradient(int channels, int height, int width, int kernel, int stride)
    {
        var layer = new MaxPool2d(new Shape(channels, height, width), (kernel, kernel), (stride, stride));
        const int samples = 3;
        var x = new Matrix(samples, layer.Input.Size);
        var rng = new Random(7);
        // few distinct values, so that windows hold ties; a few NaNs
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = rng.Next(40) == 0 ? float.NaN : rng.Next(5) - 2;
        var net = new Network([layer]);
        var ws = net.CreateWorkspace(samples, withGradients: true);
        net.Forward(x, ws);
        var dz = ws.DZ[0];
        for (int i = 0; i < dz.Data.Length; i++) dz.Data[i] = i + 1;
        var dx = new Matrix(samples, layer.Input.Size);
        layer.Backward(x, ws.Buffers[0], dx);

        var o = layer.Output;
        var expectedDx = new float[dx.Data.Length];
        for (int n = 0; n < samples; n++)
            for (int c = 0; c < channels; c++)
                for (int oy = 0; oy < o.Height; oy++)
                    for (int ox = 0; ox < o.Width; ox++)
                    {
                        int best = -1; float max = 0;
                        for (int ky = 0; ky < kernel; ky++)
                            for (int kx = 0; kx < kernel; kx++)
                            {
                                int i = n * layer.Input.Size + c * height * width + (oy * stride + ky) * width + ox * stride + kx;
                                float v = x.Data[i];
                                if (best < 0 || !(v <= max)) { best = i; max = v; }
                            }
                        int k = n * o.Size + c * o.Height * o.Width + oy * o.Width + ox;
                        Assert.Equal(max, ws.Z[0].Data[k]);
                        Assert.Equal(max, ws.A[0].Data[k]);
                        expectedDx[best] += dz.Data[k];
                    }
        Assert.Equal(expectedDx, dx.Data);
    }
}
