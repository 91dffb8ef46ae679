using System.Numerics;
using System.Runtime.InteropServices;

namespace TrainingService.Engine.Tensors;

public static partial class Kernels
{
    /// <summary>
    /// Effectively computes <c>c[i,j] = (accumulate ? c[i,j] : 0) + Σ_p a[i,p]·b[p,j]</c> for
    /// row-major A (m×k), B (k×n), C (m×n).
    /// </summary>
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        CheckLength(a.Length, (long)m * k, nameof(a));
        CheckLength(b.Length, (long)k * n, nameof(b));
        CheckLength(c.Length, (long)m * n, nameof(c));
        for (int i = 0; i < m; i++)
        {
            Span<float> ci = c.Slice(i * n, n);
            if (!accumulate) ci.Clear();
            ReadOnlySpan<float> ai = a.Slice(i * k, k);
            for (int p = 0; p < k; p++) Axpy(ai[p], b.Slice(p * n, n), ci);
        }
    }

    /// <summary>
    /// Effectively computes <c>c[i,j] = (accumulate ? c[i,j] : 0) + Σ_p a[i,p]·b[j,p]</c> for
    /// row-major A (m×k), B (n×k), C (m×n): the forward pass Z = H·Wᵀ.
    /// </summary>
    public static void MatMulTransB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        CheckLength(a.Length, (long)m * k, nameof(a));
        CheckLength(b.Length, (long)n * k, nameof(b));
        CheckLength(c.Length, (long)m * n, nameof(c));
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<float> ai = a.Slice(i * k, k);
            for (int j = 0; j < n; j++)
            {
                float dot = Dot(ai, b.Slice(j * k, k));
                c[i * n + j] = accumulate ? c[i * n + j] + dot : dot;
            }
        }
    }

    /// <summary>
    /// Effectively computes <c>c[i,j] = (accumulate ? c[i,j] : 0) + Σ_p a[p,i]·b[p,j]</c> for
    /// row-major A (k×m), B (k×n), C (m×n): the weight gradient dW = dZᵀ·H.
    /// </summary>
    public static void MatMulTransA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        CheckLength(a.Length, (long)k * m, nameof(a));
        CheckLength(b.Length, (long)k * n, nameof(b));
        CheckLength(c.Length, (long)m * n, nameof(c));
        if (!accumulate) c.Slice(0, m * n).Clear();
        for (int p = 0; p < k; p++)
        {
            ReadOnlySpan<float> bp = b.Slice(p * n, n);
            for (int i = 0; i < m; i++) Axpy(a[p * m + i], bp, c.Slice(i * n, n));
        }
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
