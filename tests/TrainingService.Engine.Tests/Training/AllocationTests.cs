using TrainingService.Engine.Training;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Training;

[Collection(KernelThreadsCollection.Name)]
public sealed class AllocationTests
{
    /// <summary>
    /// The training thread's allocated-bytes counter at every step (into arrays sized up front: recording allocates
    /// nothing). <see cref="Allocated"/> is the least any window of <see cref="Window"/> steps inside one epoch allocated:
    /// a step that allocates makes every window non-zero, while a one-off of the runtime (a method's tier-up while the
    /// first steps run, which the old single fixed window sometimes caught under load) leaves the other windows at 0.
    /// </summary>
    private sealed class AllocationProbe(int maxSteps) : ITrainingObserver
    {
        public const int Window = 4;
        private readonly long[] _bytes = new long[maxSteps + 1];
        private readonly int[] _epoch = new int[maxSteps + 1];

        public void OnStep(in StepMetrics step)
        {
            if (step.Step > maxSteps) return;
            _bytes[step.Step] = GC.GetAllocatedBytesForCurrentThread();
            _epoch[step.Step] = step.Epoch;
        }

        public long Allocated
        {
            get
            {
                long least = -1;
                for (int i = 2; i + Window <= maxSteps; i++)
                {
                    if (_epoch[i] == 0 || _epoch[i] != _epoch[i + Window]) continue; // not run, or an epoch end inside
                    long a = _bytes[i + Window] - _bytes[i];
                    if (least < 0 || a < least) least = a;
                }
                return least;
            }
        }
    }

    [Theory]
    [InlineData("adam", 1, 50)]
    [InlineData("sgd", 2, 50)]
    [InlineData("momentum", 2, 50)]
    // 256 rows × 256 units: the bias + activation passes, the activation derivative and the bias gradient's column
    // sums are handed to the workers too.
    [InlineData("adam", 2, 256)]
    public void SteadyStateStepsAllocateNothing(string optimizer, int threads, int batch)
    {
        int saved = TrainingService.Engine.Tensors.Kernels.Threads;
        try
        {
            TrainingService.Engine.Tensors.Kernels.Threads = threads;
            var s = Session($$"""
                {"dataset":{"name":"mnist","validationFraction":0,"testFraction":0.5,"shuffle":false},
                 "model":{"hidden":[256,64]},"optimizer":{"type":"{{optimizer}}"},"batchSize":{{batch}},"epochs":2,"seed":1}
                """);
            // 5000 training rows an epoch, two epochs.
            int steps = 2 * (5000 + batch - 1) / batch;
            var probe = new AllocationProbe(steps);
            s.Run(probe);
            Assert.Equal(0, probe.Allocated);
        }
        finally { TrainingService.Engine.Tensors.Kernels.Threads = saved; }
    }
    /// <summary>A conv net (im2col, the GEMMs, col2im, pooling, dropout's mask) allocates nothing per step either, on 1
    /// and 2 threads (64 rows × 8×28×28 are large enough for the workers).</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SteadyStateConvStepsAllocateNothing(int threads)
    {
        int saved = TrainingService.Engine.Tensors.Kernels.Threads;
        try
        {
            TrainingService.Engine.Tensors.Kernels.Threads = threads;
            var s = Session("""
                {"dataset":{"name":"mnist","validationFraction":0,"testFraction":0.9,"shuffle":false},
                 "model":{"layers":[{"type":"conv2d","filters":8,"kernel":3,"padding":1},{"type":"relu"},{"type":"maxpool2d","kernel":2},
                   {"type":"conv2d","filters":8,"kernel":3},{"type":"tanh"},{"type":"avgpool2d","kernel":2},{"type":"flatten"},{"type":"dropout","rate":0.2}]},
                 "optimizer":{"type":"adam"},"batchSize":64,"epochs":2,"seed":1}
                """);
            // 1000 training rows an epoch, two epochs.
            int steps = 2 * ((1000 + 63) / 64);
            var probe = new AllocationProbe(steps);
            s.Run(probe);
            Assert.Equal(0, probe.Allocated);
        }
        finally { TrainingService.Engine.Tensors.Kernels.Threads = saved; }
    }

    /// <summary>The range test sets a rate and records a loss every step, allocating nothing either.</summary>
    [Fact]
    public void RangeTestStepsAllocateNothing()
    {
        var s = Session("""
            {"dataset":{"name":"mnist","validationFraction":0,"testFraction":0.5,"shuffle":false},
             "model":{"hidden":[64]},"optimizer":{"type":"adam","schedule":{"type":"range_test","minLearningRate":1e-6,"maxLearningRate":1e-3,"steps":60}},
             "batchSize":50,"epochs":1,"seed":1}
            """);
        var probe = new AllocationProbe(60);
        var r = s.Run(probe);
        Assert.Equal(60, r.Summary.Steps);
        Assert.Equal(0, probe.Allocated);
    }
}
