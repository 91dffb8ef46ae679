using TrainingService.Engine.Tensors;

namespace TrainingService.Benchmarks;

/// <summary>
/// The engine's first, unblocked products (row-by-row axpy / dot), kept here only as the baseline
/// the packed GEMM is measured against.
/// </summary>
internal static class SimpleKernels
{
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            Span<float> ci = c.Slice(i * n, n);
            ci.Clear();
            ReadOnlySpan<float> ai = a.Slice(i * k, k);
            for (int p = 0; p < k; p++) Axpy(ai[p], b.Slice(p * n, n), ci);
        }
    }

    public static void MatMulTransB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<float> ai = a.Slice(i * k, k);
            for (int j = 0; j < n; j++) c[i * n + j] = System.Numerics.Tensors.TensorPrimitives.Dot(ai, b.Slice(j * k, k));
        }
    }

    public static void MatMulTransA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n)
    {
        c.Slice(0, m * n).Clear();
        for (int p = 0; p < k; p++)
        {
            ReadOnlySpan<float> bp = b.Slice(p * n, n);
            for (int i = 0; i < m; i++) Axpy(a[p * m + i], bp, c.Slice(i * n, n));
        }
    }

    private static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y) =>
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x, alpha, y, y);
}
