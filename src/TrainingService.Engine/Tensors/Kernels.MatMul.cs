using System.Numerics;
using System.Runtime.InteropServices;

namespace TrainingService.Engine.Tensors;

public static partial class Kernels
{
    // All three products run the same packed GEMM (Gemm.cs); the packing absorbs the transposes.
    // Each output element is reduced in one fixed order whatever Threads is: k is cut into slices
    // whose depth depends on k alone; within a slice the products are summed in increasing p by
    // fused multiply-adds starting from 0, and the slice sums are added to C in increasing slice
    // order (the first one replaces C unless accumulating). Threads split the output, never k.

    /// <summary>
    /// Effectively computes <c>c[i,j] = (accumulate ? c[i,j] : 0) + Σ_p a[i,p]·b[p,j]</c> for
    /// row-major A (m×k), B (k×n), C (m×n): the input gradient dH = dZ·W.
    /// </summary>
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false) =>
        MatMul(a, b, c, m, k, n, accumulate, Threads);

    /// <summary>As above on at most <paramref name="threads"/> threads (1: the calling thread alone, for a caller that
    /// already runs in parallel parts); the result is the same for any count.</summary>
    internal static unsafe void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate, int threads)
    {
        CheckDims(m, k, n);
        CheckLength(a.Length, (long)m * k, nameof(a));
        CheckLength(b.Length, (long)k * n, nameof(b));
        CheckLength(c.Length, (long)m * n, nameof(c));
        fixed (float* pa = a, pb = b, pc = c)
            Gemm.Multiply(new Gemm.Problem { A = pa, B = pb, C = pc, M = m, K = k, N = n, Accumulate = accumulate }, threads);
    }

    /// <summary>
    /// Effectively computes <c>c[i,j] = (accumulate ? c[i,j] : 0) + Σ_p a[i,p]·b[j,p]</c> for
    /// row-major A (m×k), B (n×k), C (m×n): the forward pass Z = H·Wᵀ.
    /// </summary>
    public static void MatMulTransB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false) =>
        MatMulTransB(a, b, c, m, k, n, accumulate, Threads);

    /// <summary>As above on at most <paramref name="threads"/> threads (1: the calling thread alone, for a caller that
    /// already runs in parallel parts); the result is the same for any count.</summary>
    internal static unsafe void MatMulTransB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate, int threads)
    {
        CheckDims(m, k, n);
        CheckLength(a.Length, (long)m * k, nameof(a));
        CheckLength(b.Length, (long)n * k, nameof(b));
        CheckLength(c.Length, (long)m * n, nameof(c));
        fixed (float* pa = a, pb = b, pc = c)
            Gemm.Multiply(new Gemm.Problem { A = pa, B = pb, C = pc, M = m, K = k, N = n, TransB = true, Accumulate = accumulate }, threads);
    }

    /// <summary>
    /// Effectively computes <c>c[i,j] = (accumulate ? c[i,j] : 0) + Σ_p a[p,i]·b[p,j]</c> for
    /// row-major A (k×m), B (k×n), C (m×n): the weight gradient dW = dZᵀ·H.
    /// </summary>
    public static void MatMulTransA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false) =>
        MatMulTransA(a, b, c, m, k, n, accumulate, Threads);

    /// <summary>As above on at most <paramref name="threads"/> threads (1: the calling thread alone, for a caller that
    /// already runs in parallel parts); the result is the same for any count.</summary>
    internal static unsafe void MatMulTransA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate, int threads)
    {
        CheckDims(m, k, n);
        CheckLength(a.Length, (long)k * m, nameof(a));
        CheckLength(b.Length, (long)k * n, nameof(b));
        CheckLength(c.Length, (long)m * n, nameof(c));
        fixed (float* pa = a, pb = b, pc = c)
            Gemm.Multiply(new Gemm.Problem { A = pa, B = pb, C = pc, M = m, K = k, N = n, TransA = true, Accumulate = accumulate }, threads);
    }

    private static void CheckDims(int m, int k, int n)
    {
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), m, "must not be negative");
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "must not be negative");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must not be negative");
    }

    /// <summary>y[i] += alpha·x[i].</summary>
    internal static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var va = new Vector<float>(alpha);
            ReadOnlySpan<Vector<float>> xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            Span<Vector<float>> yv = MemoryMarshal.Cast<float, Vector<float>>(y.Slice(0, n));
            for (int v = 0; v < xv.Length; v++) yv[v] += va * xv[v];
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < n; i++) y[i] += alpha * x[i];
    }

    /// <summary>Σ x[i]·y[i] in a fixed order (vector lanes, then lanes summed left to right, then the tail).</summary>
    internal static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int n = x.Length, i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            ReadOnlySpan<Vector<float>> xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            ReadOnlySpan<Vector<float>> yv = MemoryMarshal.Cast<float, Vector<float>>(y.Slice(0, n));
            for (int v = 0; v < xv.Length; v++) acc += xv[v] * yv[v];
            for (int l = 0; l < Vector<float>.Count; l++) sum += acc[l];
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < n; i++) sum += x[i] * y[i];
        return sum;
    }
}
