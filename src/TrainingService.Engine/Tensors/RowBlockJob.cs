namespace TrainingService.Engine.Tensors;

/// <summary>
/// An element-wise or row-wise pass over a batch (bias and activation, an activation's derivative, the gather of its
/// rows), cut into row blocks that the kernel workers run side by side when the batch is large. Each element's
/// operations do not depend on the block it falls in, so the result is the same for any thread count. Subclasses
/// keep one instance per calling thread (the layers may be used from several threads at once, each with its own
/// workspace).
/// </summary>
internal abstract class RowBlockJob : WorkerPool.Job
{
    /// <summary>Below this many elements a pass runs on the calling thread: a hand-off costs more than it saves.</summary>
    internal const long ParallelElements = 1 << 16;

    private int _rows, _parts;

    /// <summary>The size below which this pass runs on the calling thread (<see cref="ParallelElements"/> unless a
    /// pass that waits on memory rather than arithmetic pays for the hand-off sooner).</summary>
    protected virtual long MinParallelElements => ParallelElements;

    /// <summary>Rows [r0, r1) of the pass.</summary>
    protected abstract void RunRows(int r0, int r1);

    public override void Run(int part) =>
        RunRows((int)((long)_rows * part / _parts), (int)((long)_rows * (part + 1) / _parts));

    /// <summary>Runs the pass over <paramref name="rows"/> rows of <paramref name="cols"/> elements.</summary>
    public void Execute(int rows, int cols)
    {
        int threads = Kernels.Threads;
        if (threads <= 1 || rows < 2 || (long)rows * cols < MinParallelElements)
        {
            RunRows(0, rows);
            return;
        }
        (_rows, _parts) = (rows, Math.Min(threads, rows));
        WorkerPool.Shared.Run(this, _parts, threads);
    }
}
