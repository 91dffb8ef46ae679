using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Tensors;

public sealed class ElementwiseTests
{
    public static TheoryData<int> Lengths() => [0, 1, 3, 7, 8, 9, 15, 16, 17, 33, 255, 256, 257, 1000];

    private static float[] Random(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)rng.Uniform(-3, 3);
        return a;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SumRowsEqualsARowOrderDoubleSumPerColumn(int cols)
    {
        const int rows = 5;
        float[] x = Random(rows * cols, 1);
        var sum = new float[cols];
        Kernels.SumRows(x, sum, rows);
        for (int j = 0; j < cols; j++)
        {
            double s = 0;
            for (int r = 0; r < rows; r++) s += x[r * cols + j];
            Assert.Equal((float)s, sum[j]);
        }
    }

    [Fact]
    public void SumRowsCancelsBalancedSignsExactly()
    {
        // ±1/40 in every row: float accumulation leaves a residue, the double sum must not.
        float v = 1f / 40;
        float[] x = [v, v, -v, v, -v, -v, v, -v, v, -v, -v, v];
        var sum = new float[1];
        Kernels.SumRows(x, sum, 12);
        Assert.Equal(0f, sum[0]);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SumOfSquaresMatchesAScalarDoubleSum(int n)
    {
        float[] x = Random(n, 2);
        double expected = 0;
        foreach (float v in x) expected += (double)v * v;
        Assert.Equal(expected, Kernels.SumOfSquares(x), 1e-12 * Math.Max(1, expected));
    }

    [Fact]
    public void AddRowVectorAddsToEveryRowAndChecksLengths()
    {
        float[] x = [1, 2, 3, 4, 5, 6];
        Kernels.AddRowVector(x, [10, 20, 30], 2);
        Assert.Equal([11f, 22, 33, 14, 25, 36], x);
        Assert.Throws<ArgumentException>(() => Kernels.AddRowVector(new float[5], new float[3], 2));
        Assert.Throws<ArgumentException>(() => Kernels.SumRows(new float[5], new float[3], 2));
    }
}
