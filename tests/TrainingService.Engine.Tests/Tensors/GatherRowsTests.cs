using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Tensors;

[Collection(KernelThreadsCollection.Name)]
public sealed class GatherRowsTests
{
    [Theory]
    [InlineData(1, 3)]     // below the parallel size: one thread
    [InlineData(2, 3)]
    [InlineData(2, 784)]   // a 64-row MNIST batch: split between the workers
    [InlineData(4, 784)]
    public void CopiesTheNamedRowsInOrderOnAnyThreadCount(int threads, int width)
    {
        const int tableRows = 300, batch = 64;
        float[] table = new float[tableRows * width];
        for (int i = 0; i < table.Length; i++) table[i] = i * 0.5f;
        int[] rows = [.. Enumerable.Range(0, batch).Select(r => (r * 37 + 11) % tableRows)];
        float[] dst = new float[batch * width + 5];
        Array.Fill(dst, -1f);
        int saved = Kernels.Threads;
        long dispatches = WorkerPool.Shared.Dispatches;
        try
        {
            Kernels.Threads = threads;
            Kernels.GatherRows(table, width, rows, dst);
        }
        finally { Kernels.Threads = saved; }
        for (int r = 0; r < batch; r++)
            Assert.Equal(table.AsSpan(rows[r] * width, width).ToArray(), dst.AsSpan(r * width, width).ToArray());
        Assert.All(dst[(batch * width)..], x => Assert.Equal(-1f, x)); // nothing written past the batch
        bool split = threads > 1 && batch * width >= Kernels.ParallelGatherFloats;
        Assert.Equal(split, WorkerPool.Shared.Dispatches > dispatches);
    }

    [Fact]
    public void ARowOutsideTheTableIsRejectedBeforeAnythingIsCopied()
    {
        float[] table = new float[10 * 4], dst = new float[8];
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.GatherRows(table, 4, [1, 10], dst));
        Assert.Equal("rows", ex.ParamName);
        Assert.All(dst, x => Assert.Equal(0f, x));
        Assert.Throws<ArgumentException>(() => Kernels.GatherRows(table, 4, [1, 2, 3], dst)); // dst too short
    }
}
