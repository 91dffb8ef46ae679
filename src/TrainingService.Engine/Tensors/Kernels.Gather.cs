namespace TrainingService.Engine.Tensors;

public static partial class Kernels
{
    /// <summary>Below this many floats a gather runs on the calling thread alone.</summary>
    internal const int ParallelGatherFloats = 1 << 14;

    /// <summary>
    /// dst row r = src row rows[r] (rows of <paramref name="width"/> floats): a batch drawn from a dataset. The rows
    /// are scattered through a table usually larger than the caches, so the copy waits on memory more than it
    /// computes; with <see cref="Threads"/> &gt; 1 the workers copy row blocks side by side (<see cref="RowBlocks"/>),
    /// keeping more reads in flight (a plain copy: the result does not depend on who copies what).
    /// </summary>
    public static unsafe void GatherRows(float[] src, int width, ReadOnlySpan<int> rows, float[] dst)
    {
        CheckLength(dst.Length, (long)rows.Length * width, nameof(dst));
        foreach (int row in rows)
            if (row < 0 || (long)(row + 1) * width > src.Length)
                throw new ArgumentOutOfRangeException(nameof(rows), row, $"row outside the {src.Length / Math.Max(width, 1)}-row source");
        fixed (int* indices = rows)
            RowBlocks.Run(rows.Length, width, new Gather(src, width, indices, dst), ParallelGatherFloats);
    }

    /// <summary>Rows [r0, r1) of <see cref="GatherRows"/>; <c>Rows</c> points at the caller's pinned row indices.</summary>
    private readonly unsafe struct Gather(float[] src, int width, int* rows, float[] dst) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            for (int r = r0; r < r1; r++) src.AsSpan(rows[r] * width, width).CopyTo(dst.AsSpan(r * width, width));
        }
    }
}
