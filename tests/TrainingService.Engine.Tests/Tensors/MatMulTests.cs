using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Tensors;

/// <summary>
/// The three products against a double-precision scalar loop, across shapes that hit every edge
/// (0, 1, odd, just past the 16/32-float vector widths and the 12-row tile, several k-slices).
/// </summary>
[Collection(KernelThreadsCollection.Name)]
public class MatMulTests
{
    public enum Op { MatMul, TransA, TransB }

    public static TheoryData<int, int, int> Shapes => new()
    {
        { 0, 0, 0 }, { 0, 5, 3 }, { 3, 0, 5 }, { 3, 5, 0 }, { 1, 1, 1 }, { 1, 7, 1 }, { 2, 3, 5 },
        { 7, 1, 9 }, { 12, 16, 32 }, { 13, 17, 33 }, { 11, 15, 31 }, { 17, 33, 16 }, { 25, 100, 65 },
        { 1, 784, 128 }, { 64, 784, 10 }, { 64, 128, 784 }, { 37, 385, 70 }, { 5, 1000, 3 },
    };

    public static TheoryData<Op, int, int, int> OpShapes()
    {
        var data = new TheoryData<Op, int, int, int>();
        foreach (Op op in Enum.GetValues<Op>())
            foreach (object[] s in Shapes) data.Add(op, (int)s[0], (int)s[1], (int)s[2]);
        return data;
    }

    [Theory]
    [MemberData(nameof(OpShapes))]
    public void MatchesDoubleReference(Op op, int m, int k, int n)
    {
        var (a, b) = Operands(m, k, n, seed: m * 1_000_003 + k * 1009 + n);
        float[] c = Run(op, a, b, m, k, n, threads: 1);
        AssertClose(op, a, b, null, c, m, k, n);
    }

    [Theory]
    [MemberData(nameof(OpShapes))]
    public void AccumulateAddsToExistingValues(Op op, int m, int k, int n)
    {
        var (a, b) = Operands(m, k, n, seed: 7 + m + k + n);
        float[] c0 = Random(m * n, seed: 99);
        float[] c = (float[])c0.Clone();
        Call(op, a, b, c, m, k, n, accumulate: true);
        AssertClose(op, a, b, c0, c, m, k, n);
    }

    [Fact]
    public void OverwriteIgnoresPreviousContentsEvenNaN()
    {
        var (a, b) = Operands(13, 40, 33, seed: 3);
        float[] c = Enumerable.Repeat(float.NaN, 13 * 33).ToArray();
        Kernels.MatMul(a, b, c, 13, 40, 33);
        AssertClose(Op.MatMul, a, b, null, c, 13, 40, 33);
    }

    [Fact]
    public void LeavesElementsPastTheProductUntouched()
    {
        var (a, b) = Operands(5, 9, 7, seed: 4);
        float[] c = Enumerable.Repeat(42f, 5 * 7 + 3).ToArray();
        Kernels.MatMulTransB(a, b.AsSpan(0, 7 * 9), c, 5, 9, 7);
        Assert.Equal([42f, 42f, 42f], c[^3..]);
    }

    [Theory]
    [InlineData(Op.MatMul)]
    [InlineData(Op.TransA)]
    [InlineData(Op.TransB)]
    public void MismatchedLengthsThrow(Op op)
    {
        float[] ok = new float[6], shortBuf = new float[5];
        Assert.Throws<ArgumentException>("a", () => Call(op, shortBuf, ok, ok, 2, 3, 2, false));
        Assert.Throws<ArgumentException>("b", () => Call(op, ok, shortBuf, ok, 2, 3, 2, false));
        Assert.Throws<ArgumentException>("c", () => Call(op, ok, ok, new float[3], 2, 3, 2, false));
        Assert.ThrowsAny<ArgumentException>(() => Call(op, ok, ok, ok, -1, 3, 2, false));
    }

    internal static (float[] A, float[] B) Operands(int m, int k, int n, int seed) =>
        (Random(m * k, seed), Random(k * n, seed + 1));

    internal static float[] Random(int length, int seed)
    {
        var rng = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    internal static float[] Run(Op op, float[] a, float[] b, int m, int k, int n, int threads)
    {
        int saved = Kernels.Threads;
        Kernels.Threads = threads;
        try
        {
            float[] c = new float[m * n];
            Call(op, a, b, c, m, k, n, accumulate: false);
            return c;
        }
        finally { Kernels.Threads = saved; }
    }

    internal static void Call(Op op, float[] a, float[] b, float[] c, int m, int k, int n, bool accumulate)
    {
        switch (op)
        {
            case Op.MatMul: Kernels.MatMul(a, b, c, m, k, n, accumulate); break;
            case Op.TransA: Kernels.MatMulTransA(a, b, c, m, k, n, accumulate); break;
            default: Kernels.MatMulTransB(a, b, c, m, k, n, accumulate); break;
        }
    }

    /// <summary>
    /// Each element within float32 rounding of the exact value: |c - ref| ≤ 1e-5·(k+2)·(|c0| + Σ|a||b|)
    /// — loose enough for any summation order, tight enough to catch a wrong or missing term.
    /// </summary>
    internal static void AssertClose(Op op, float[] a, float[] b, float[]? c0, float[] c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double exact = c0?[i * n + j] ?? 0, scale = Math.Abs(exact);
                for (int p = 0; p < k; p++)
                {
                    double x = op == Op.TransA ? a[p * m + i] : a[i * k + p];
                    double y = op == Op.TransB ? b[j * k + p] : b[p * n + j];
                    exact += x * y;
                    scale += Math.Abs(x * y);
                }
                double got = c[i * n + j], tol = 1e-4 * scale + 1e-30;
                Assert.True(Math.Abs(got - exact) <= tol,
                    $"{op} {m}×{k}×{n}: c[{i},{j}] = {got}, expected {exact} (±{tol})");
            }
    }
}
