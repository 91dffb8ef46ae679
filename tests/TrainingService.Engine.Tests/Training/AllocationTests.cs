using TrainingService.Engine.Training;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Training;

[Collection(KernelThreadsCollection.Name)]
public sealed class AllocationTests
{
    /// <summary>Measures the training thread's allocations between two steps of the same epoch.</summary>
    private sealed class AllocationProbe(long from, long to) : ITrainingObserver
    {
        private long _start;
        public long Allocated { get; private set; } = -1;

        public void OnStep(in StepMetrics step)
        {
            if (step.Step == from) _start = GC.GetAllocatedBytesForCurrentThread();
            if (step.Step == to) Allocated = GC.GetAllocatedBytesForCurrentThread() - _start;
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
            // Steps within the first epoch (5000 training rows): warm-up is over, no epoch boundary inside.
            int steps = 5000 / batch;
            var probe = new AllocationProbe(steps / 5, steps - 2);
            s.Run(probe);
            Assert.Equal(0, probe.Allocated);
        }
        finally { TrainingService.Engine.Tensors.Kernels.Threads = saved; }
    }
}
