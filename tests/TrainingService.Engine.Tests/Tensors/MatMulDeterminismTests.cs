using TrainingService.Engine.Tensors;
using static TrainingService.Engine.Tests.Tensors.MatMulTests;

namespace TrainingService.Engine.Tests.Tensors;

/// <summary>Tests that change the process-wide <see cref="Kernels.Threads"/> run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class KernelThreadsCollection
{
    public const string Name = "Kernels.Threads";
}

/// <summary>
/// Bit-identical results whatever <see cref="Kernels.Threads"/> is, threads never touched when it
/// is 1, no allocation in steady state, and safe concurrent use from several threads. Every product
/// here is split among threads when Threads &gt; 1 (the size threshold is lowered to 0), so the
/// small shapes exercise tile splits at every kind of boundary.
/// </summary>
[Collection(KernelThreadsCollection.Name)]
public sealed class MatMulDeterminismTests : IDisposable
{
    public MatMulDeterminismTests() => Gemm.ParallelThreshold = 0;

    public void Dispose() => Gemm.ParallelThreshold = Gemm.DefaultParallelThreshold;

    public static TheoryData<Op, int, int, int> Shapes()
    {
        var data = new TheoryData<Op, int, int, int>();
        int[][] shapes =
        [
            [1, 1, 1], [1, 1000, 1], [17, 33, 16], [33, 17, 65], [64, 784, 128], [257, 300, 129],
            [128, 256, 1024], [300, 64, 100], [16, 2000, 33], [1024, 129, 7],
            // Several 96-row pieces of a shared A packed at once, slices of a whole number of 16-wide blocks (k = 512).
            [200, 512, 640],
            // Shared operand over 2^19 floats: every part packs its own blocks of it (row split, then column split).
            [40, 20000, 30], [30, 20000, 64],
        ];
        foreach (Op op in Enum.GetValues<Op>())
            foreach (int[] s in shapes) data.Add(op, s[0], s[1], s[2]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BitIdenticalAcrossThreadCounts(Op op, int m, int k, int n)
    {
        var (a, b) = Operands(m, k, n, seed: 12345 + m + n);
        float[] one = Run(op, a, b, m, k, n, threads: 1);
        AssertClose(op, a, b, null, one, m, k, n);
        foreach (int threads in new[] { 2, 3, 4 })
        {
            float[] many = Run(op, a, b, m, k, n, threads);
            for (int i = 0; i < one.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(one[i]) == BitConverter.SingleToInt32Bits(many[i]),
                    $"{op} {m}×{k}×{n}, threads={threads}: element {i} is {many[i]:R}, threads=1 gave {one[i]:R}");
        }
    }

    [Theory]
    [InlineData(Op.MatMul)]
    [InlineData(Op.TransA)]
    [InlineData(Op.TransB)]
    public void BitIdenticalWhenAccumulatingAcrossThreadCounts(Op op)
    {
        const int m = 257, k = 300, n = 129;
        var (a, b) = Operands(m, k, n, seed: 5);
        float[] c0 = MatMulTests.Random(m * n, seed: 6);
        float[] one = (float[])c0.Clone(), two = (float[])c0.Clone();
        int saved = Kernels.Threads;
        try
        {
            Kernels.Threads = 1; Call(op, a, b, one, m, k, n, accumulate: true);
            Kernels.Threads = 2; Call(op, a, b, two, m, k, n, accumulate: true);
        }
        finally { Kernels.Threads = saved; }
        Assert.Equal(one, two);
    }

    [Theory]
    [InlineData(Op.MatMul, 1)]
    [InlineData(Op.TransA, 1)]
    [InlineData(Op.TransB, 1)]
    [InlineData(Op.MatMul, 2)]
    [InlineData(Op.TransB, 2)]
    public void SteadyStateDoesNotAllocate(Op op, int threads)
    {
        int saved = Kernels.Threads;
        Kernels.Threads = threads;
        try
        {
            foreach (var (m, k, n) in new[] { (64, 784, 128), (256, 1024, 256), (7, 9, 5) })
            {
                var (a, b) = Operands(m, k, n, seed: 1);
                float[] c = new float[m * n];
                for (int i = 0; i < 3; i++) Call(op, a, b, c, m, k, n, accumulate: false); // warm up
                // The least of a few windows of 20 calls: a call that allocates makes every window non-zero, while a
                // one-off of the runtime (a method's tier-up, which one window sometimes caught under load) does not.
                long allocated = long.MaxValue;
                for (int window = 0; window < 4 && allocated > 0; window++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < 20; i++) Call(op, a, b, c, m, k, n, accumulate: i % 2 == 1);
                    allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
                }
                Assert.True(allocated == 0, $"{op} {m}×{k}×{n}, threads={threads}: {allocated} bytes allocated in 20 calls");
            }
        }
        finally { Kernels.Threads = saved; }
    }

    [Fact]
    public void OneThreadNeverDispatchesToWorkers()
    {
        int saved = Kernels.Threads;
        try
        {
            var (a, b) = Operands(512, 512, 512, seed: 2);
            float[] c = new float[512 * 512];
            Kernels.Threads = 1;
            long before = WorkerPool.Shared.Dispatches;
            Kernels.MatMul(a, b, c, 512, 512, 512);
            Kernels.MatMulTransA(a, b, c, 512, 512, 512);
            Kernels.MatMulTransB(a, b, c, 512, 512, 512);
            Assert.Equal(before, WorkerPool.Shared.Dispatches);

            Kernels.Threads = 2;
            Kernels.MatMul(a, b, c, 512, 512, 512);
            Assert.Equal(before + 2, WorkerPool.Shared.Dispatches); // the shared operand's packing, then the product
        }
        finally { Kernels.Threads = saved; }
    }

    [Fact]
    public void ConcurrentCallersGetTheSameResultsAsAlone()
    {
        int saved = Kernels.Threads;
        Kernels.Threads = 2;
        try
        {
            var shapes = new[] { (64, 784, 128), (200, 300, 100), (128, 128, 128), (33, 500, 65) };
            var inputs = shapes.Select((s, i) => Operands(s.Item1, s.Item2, s.Item3, seed: 100 + i)).ToArray();
            var expected = shapes.Select((s, i) => Run(Op.TransB, inputs[i].A, inputs[i].B, s.Item1, s.Item2, s.Item3, 1)).ToArray();
            Kernels.Threads = 2;
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                var (m, k, n) = shapes[t];
                float[] c = new float[m * n];
                for (int rep = 0; rep < 30; rep++)
                {
                    Kernels.MatMulTransB(inputs[t].A, inputs[t].B, c, m, k, n);
                    if (!c.AsSpan().SequenceEqual(expected[t])) failures.Add($"thread {t} rep {rep}");
                }
            })).ToArray();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
            Assert.Empty(failures);
        }
        finally { Kernels.Threads = saved; }
    }
}
