using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace TrainingService.Engine.Tensors;

public static partial class Kernels
{
    /// <summary>Effectively computes <c>x[r, j] += v[j]</c> for each of <paramref name="rows"/> rows of width v.Length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddRowVector(Span<float> x, ReadOnlySpan<float> v, int rows)
    {
        int cols = v.Length;
        CheckLength(x.Length, (long)rows * cols, nameof(x));
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = x.Slice(r * cols, cols);
            TensorPrimitives.Add(row, v, row);
        }
    }

    /// <summary>
    /// Effectively computes <c>sum[j] = Σ_r x[r, j]</c>, rows summed top to bottom in double. Double matters:
    /// an l1 gradient is a sum of ±1/N terms that must cancel to exactly 0 when the signs balance, or
    /// RMSprop/Adam turn the rounding residue (≈1e-8) into a full-size step.
    /// </summary>
    public static unsafe void SumRows(ReadOnlySpan<float> x, Span<float> sum, int rows)
    {
        int cols = sum.Length;
        CheckLength(x.Length, (long)rows * cols, nameof(x));
        int blocks = (cols + SumRowsBlock - 1) / SumRowsBlock;
        if (Threads <= 1 || blocks < 2 || (long)rows * cols < RowBlocks.ParallelElements)
        {
            for (int j0 = 0; j0 < cols; j0 += SumRowsBlock) SumColumns(x, sum, rows, cols, j0);
            return;
        }
        // Column blocks are independent (each column is summed over all rows in order): the workers take whole blocks.
        fixed (float* px = x, ps = sum)
            Parts.Run(blocks, Threads, new SumRowsBlocks(px, ps, rows, cols));
    }

    private const int SumRowsBlock = 256;

    /// <summary>Columns [j0, j0 + 256) of <see cref="SumRows"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumColumns(ReadOnlySpan<float> x, Span<float> sum, int rows, int cols, int j0)
    {
        Span<double> acc = stackalloc double[SumRowsBlock];
        int w = Math.Min(SumRowsBlock, cols - j0);
        Span<double> a = acc[..w];
        a.Clear();
        int vw = Vector.IsHardwareAccelerated ? w - w % Vector<float>.Count : 0;
        Span<Vector<double>> av = MemoryMarshal.Cast<double, Vector<double>>(a[..vw]);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = x.Slice(r * cols + j0, w);
            ReadOnlySpan<Vector<float>> rv = MemoryMarshal.Cast<float, Vector<float>>(row[..vw]);
            for (int v = 0; v < rv.Length; v++)
            {
                // Widening keeps each column's sum an exact double sum in row order, as the scalar tail.
                Vector.Widen(rv[v], out Vector<double> lo, out Vector<double> hi);
                av[2 * v] += lo;
                av[2 * v + 1] += hi;
            }
            for (int j = vw; j < w; j++) a[j] += row[j];
        }
        for (int j = 0; j < w; j++) sum[j0 + j] = (float)a[j];
    }

    /// <summary>Part p = columns [256·p, 256·(p + 1)) of <see cref="SumRows"/>.</summary>
    private readonly unsafe struct SumRowsBlocks(float* x, float* sum, int rows, int cols) : IPartOp
    {
        public void Run(int part) =>
            SumColumns(new ReadOnlySpan<float>(x, rows * cols), new Span<float>(sum, cols), rows, cols, part * SumRowsBlock);
    }

    /// <summary>
    /// Σ x[i]² accumulated in double: lanes of a vector accumulator (each lane sums the elements congruent
    /// to it, in index order), the lanes then added left to right, then the scalar tail — a fixed order for
    /// a given length.
    /// </summary>
    public static double SumOfSquares(ReadOnlySpan<float> x) => WidenedSum(x, squares: true);

    /// <summary>Σ x[i] accumulated in double, in the fixed order of <see cref="SumOfSquares"/>.</summary>
    public static double Sum(ReadOnlySpan<float> x) => WidenedSum(x, squares: false);

    /// <summary>Both sums' one loop; <paramref name="squares"/> is a constant at each call, so the JIT keeps one branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static double WidenedSum(ReadOnlySpan<float> x, bool squares)
    {
        int i = 0;
        double s = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            Vector<double> lo = Vector<double>.Zero, hi = Vector<double>.Zero;
            ReadOnlySpan<Vector<float>> xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            for (int v = 0; v < xv.Length; v++)
            {
                Vector.Widen(xv[v], out Vector<double> a, out Vector<double> b);
                lo += squares ? a * a : a;
                hi += squares ? b * b : b;
            }
            s = Vector.Sum(lo) + Vector.Sum(hi);
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) s += squares ? (double)x[i] * x[i] : x[i];
        return s;
    }

    /// <summary>x[i] *= s.</summary>
    public static void Scale(Span<float> x, float s) => TensorPrimitives.Multiply(x, s, x);
}
