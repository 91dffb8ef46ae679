namespace TrainingService.Engine.Tensors;

public static partial class Kernels
{
    /// <summary>Below this many floats a gather runs on the calling thread alone.</summary>
    internal const int ParallelGatherFloats = 1 << 14;

    /// <summary>
    /// dst row r = src row rows[r] (rows of <paramref name="width"/> floats): a batch drawn from a dataset. The rows
    /// are scattered through a table usually larger than the caches, so the copy waits on memory more than it
    /// computes; with <see cref="Threads"/> &gt; 1 the workers copy row blocks side by side (<see cref="RowBlockJob"/>),
    /// keeping more reads in flight (a plain copy: the result does not depend on who copies what).
    /// </summary>
    public static void GatherRows(float[] src, int width, ReadOnlySpan<int> rows, float[] dst)
    {
        CheckLength(dst.Length, (long)rows.Length * width, nameof(dst));
        foreach (int row in rows)
            if (row < 0 || (long)(row + 1) * width > src.Length)
                throw new ArgumentOutOfRangeException(nameof(rows), row, $"row outside the {src.Length / Math.Max(width, 1)}-row source");
        var job = GatherJob.ForThisThread;
        rows.CopyTo(job.Rows.Length >= rows.Length ? job.Rows : job.Rows = new int[rows.Length]);
        (job.Src, job.Dst, job.Width) = (src, dst, width);
        try { job.Execute(rows.Length, width); }
        finally { job.Src = job.Dst = null; }
    }

    private sealed class GatherJob : RowBlockJob
    {
        [ThreadStatic] private static GatherJob? _forThisThread;
        public static GatherJob ForThisThread => _forThisThread ??= new GatherJob();

        public int[] Rows = [];
        public float[]? Src, Dst;
        public int Width;

        protected override long MinParallelElements => ParallelGatherFloats;

        protected override void RunRows(int r0, int r1)
        {
            for (int r = r0; r < r1; r++) Src.AsSpan(Rows[r] * Width, Width).CopyTo(Dst.AsSpan(r * Width, Width));
        }
    }
}
