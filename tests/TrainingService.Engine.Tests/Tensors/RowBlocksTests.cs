using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Tensors;

/// <summary>The Tensors/ runner every parallel pass goes through: each row or part runs exactly once, the result does
/// not depend on the thread count, and the workers are used only when the pass is large enough.</summary>
[Collection(KernelThreadsCollection.Name)]
public sealed class RowBlocksTests
{
    /// <summary>Counts the visits of every row and writes a value that depends on the element alone.</summary>
    private readonly struct Visit(int[] visits, float[] output, int cols) : IRowBlockOp
    {
        public void RunRows(int r0, int r1)
        {
            for (int r = r0; r < r1; r++)
            {
                Interlocked.Increment(ref visits[r]);
                for (int j = 0; j < cols; j++) output[r * cols + j] = MathF.Sin(r * 0.37f + j) * 3 + r;
            }
        }
    }

    private static (int[] Visits, float[] Output, bool Dispatched) RunVisit(int threads, int rows, int cols)
    {
        int[] visits = new int[rows];
        float[] output = new float[rows * cols];
        int saved = Kernels.Threads;
        long dispatches = WorkerPool.Shared.Dispatches;
        try
        {
            Kernels.Threads = threads;
            RowBlocks.Run(rows, cols, new Visit(visits, output, cols));
        }
        finally { Kernels.Threads = saved; }
        return (visits, output, WorkerPool.Shared.Dispatches > dispatches);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 100_000)]       // one row: never split
    [InlineData(7, 10)]            // below the parallel size
    [InlineData(64, 1024)]         // exactly the parallel size
    [InlineData(1001, 129)]        // rows that do not divide among the threads
    public void RunsEveryRowOnceWithTheSameResultOnOneOrTwoThreads(int rows, int cols)
    {
        var one = RunVisit(1, rows, cols);
        var two = RunVisit(2, rows, cols);
        Assert.All(one.Visits, v => Assert.Equal(1, v));
        Assert.All(two.Visits, v => Assert.Equal(1, v));
        Assert.Equal(one.Output, two.Output);
        Assert.False(one.Dispatched, "Threads = 1 never hands work to the workers");
        Assert.Equal(rows >= 2 && (long)rows * cols >= RowBlocks.ParallelElements, two.Dispatched);
    }

    [Fact]
    public void ASmallerThresholdSplitsSmallerPasses()
    {
        int[] visits = new int[40];
        int saved = Kernels.Threads;
        long dispatches = WorkerPool.Shared.Dispatches;
        try
        {
            Kernels.Threads = 2;
            RowBlocks.Run(40, 10, new Visit(visits, new float[400], 10), minParallelElements: 400);
        }
        finally { Kernels.Threads = saved; }
        Assert.All(visits, v => Assert.Equal(1, v));
        Assert.True(WorkerPool.Shared.Dispatches > dispatches);
    }

    /// <summary>Records which parts ran, in what order, and (when <c>innerRuns</c> is given) starts a pass of its own
    /// over innerRuns' columns of row <c>part</c>.</summary>
    private readonly struct Record(int[] runs, List<int> order, int[,]? innerRuns = null) : IPartOp
    {
        public void Run(int part)
        {
            Interlocked.Increment(ref runs[part]);
            lock (order) order.Add(part);
            if (innerRuns is not null)
            {
                int[] row = new int[innerRuns.GetLength(1)];
                Parts.Run(row.Length, 2, new Record(row, []));
                for (int j = 0; j < row.Length; j++) innerRuns[part, j] = row[j];
            }
        }
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(5, 1)]
    [InlineData(5, 2)]
    [InlineData(100, 3)]
    public void RunsEveryPartOnceAndInOrderOnOneThread(int parts, int threads)
    {
        int[] runs = new int[parts];
        var order = new List<int>();
        Parts.Run(parts, threads, new Record(runs, order));
        Assert.All(runs, r => Assert.Equal(1, r));
        if (threads == 1) Assert.Equal(Enumerable.Range(0, parts), order);
    }

    [Fact]
    public void APartMayStartAPassOfItsOwn()
    {
        int[] runs = new int[6];
        var innerRuns = new int[6, 4];
        Parts.Run(6, 2, new Record(runs, [], innerRuns)); // the inner passes run on the thread that started them
        Assert.All(runs, r => Assert.Equal(1, r));
        Assert.All(innerRuns.Cast<int>(), r => Assert.Equal(1, r));
    }
}
