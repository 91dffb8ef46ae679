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
    [InlineData("adam", 1)]
    [InlineData("sgd", 2)]
    [InlineData("momentum", 2)]
    public void SteadyStateStepsAllocateNothing(string optimizer, int threads)
    {
        int saved = TrainingService.Engine.Tensors.Kernels.Threads;
        try
        {
            TrainingService.Engine.Tensors.Kernels.Threads = threads;
            var s = Session($$"""
                {"dataset":{"name":"mnist","validationFraction":0,"testFraction":0.5,"shuffle":false},
                 "model":{"hidden":[256,64]},"optimizer":{"type":"{{optimizer}}"},"batchSize":50,"epochs":1,"seed":1}
                """);
            // Steps 20..90 of the first epoch (100 steps): warm-up is over, no epoch boundary inside.
            var probe = new AllocationProbe(20, 90);
            s.Run(probe);
            Assert.Equal(0, probe.Allocated);
        }
        finally { TrainingService.Engine.Tensors.Kernels.Threads = saved; }
    }
}
