namespace TrainingService.Engine.Tensors;

/// <summary>Rows [r0, r1) of an element-wise or row-wise pass over a batch (bias and activation, an activation's
/// derivative, the gather of its rows).</summary>
internal interface IRowBlockOp
{
    void RunRows(int r0, int r1);
}

/// <summary>
/// Runs a pass over a batch cut into contiguous row blocks, one per thread, that the kernel workers run side by side
/// when the batch is large. Each element's operations must not depend on the block it falls in, so the result is the
/// same for any thread count.
/// </summary>
internal static class RowBlocks
{
    /// <summary>Below this many elements a pass runs on the calling thread: a hand-off costs more than it saves.</summary>
    internal const long ParallelElements = 1 << 16;

    /// <summary>
    /// Runs <paramref name="op"/> over <paramref name="rows"/> rows of <paramref name="cols"/> elements: on the calling
    /// thread when <see cref="Kernels.Threads"/> is 1 or the pass is smaller than <paramref name="minParallelElements"/>
    /// (a pass that waits on memory rather than arithmetic pays for the hand-off sooner), else in
    /// min(Threads, rows) blocks.
    /// </summary>
    public static void Run<TOp>(int rows, int cols, in TOp op, long minParallelElements = ParallelElements) where TOp : struct, IRowBlockOp
    {
        int threads = Kernels.Threads;
        if (threads <= 1 || rows < 2 || (long)rows * cols < minParallelElements)
        {
            op.RunRows(0, rows);
            return;
        }
        int parts = Math.Min(threads, rows);
        Parts.Run(parts, threads, new Blocks<TOp>(op, rows, parts));
    }

    /// <summary>Part p = rows [rows·p/parts, rows·(p+1)/parts).</summary>
    private readonly struct Blocks<TOp>(TOp op, int rows, int parts) : IPartOp where TOp : struct, IRowBlockOp
    {
        public void Run(int part) =>
            op.RunRows((int)((long)rows * part / parts), (int)((long)rows * (part + 1) / parts));
    }
}
