using TrainingService.Engine.Tensors;
using TrainingService.Engine.Tests.Tensors;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Training;

/// <summary>
/// The warm-up that compiles a run's step while its data loads: it runs once per kind of run, never for runs that
/// would not use it, never throws, and a real run overlapping it (sharing the kernel workers) comes out bit-identical.
/// </summary>
[Collection(KernelThreadsCollection.Name)]
public sealed class JitWarmupTests
{
    private const string Spec = """
        {"dataset":{"name":"spiral","samples":600},"model":{"hidden":[256,256],"activation":"leaky_relu"},
         "optimizer":{"type":"rmsprop","learningRate":0.01},"batchSize":128,"epochs":3,"seed":4}
        """;

    private static float[] Train(string json)
    {
        var session = TrainingSession.Create(SpecJson.Parse(json), "unused");
        Assert.Equal(RunOutcome.Succeeded, session.Run().Outcome);
        return session.Network.GetFlatParameters();
    }

    [Fact]
    public async Task RunsOnceForAKindOfRunAndARunOverlappingItIsBitIdentical()
    {
        int saved = Kernels.Threads;
        try
        {
            Kernels.Threads = 2;
            float[] alone = Train(Spec);
            int completed = JitWarmup.Completed;
            Task? warm = JitWarmup.Start(SpecJson.Parse(Spec));
            Assert.NotNull(warm);
            float[] overlapped = Train(Spec); // starts while the warm-up trains on the same workers
            await warm.WaitAsync(TimeSpan.FromSeconds(60)); // throws TimeoutException if it does not finish
            Assert.Equal(completed + 1, JitWarmup.Completed);
            Assert.Equal(alone, overlapped);
            Assert.Null(JitWarmup.Start(SpecJson.Parse(Spec))); // same optimizer, activations, loss: compiled already
        }
        finally { Kernels.Threads = saved; }
    }

    [Theory]
    [InlineData("""{"dataset":{"name":"xor"},"optimizer":{"type":"hill_climbing"},"epochs":1}""")]
    [InlineData("""{"dataset":{"name":"xor"},"gradient":"numerical","optimizer":{"type":"sgd"},"epochs":1}""")]
    public void SkipsRunsThatDoNotTrainByBackprop(string json) => Assert.Null(JitWarmup.Start(SpecJson.Parse(json)));

    [Fact]
    public async Task AnUnusableSpecEndsTheWarmUpQuietly()
    {
        int completed = JitWarmup.Completed;
        Task? warm = JitWarmup.Start(SpecJson.Parse("""{"model":{"hidden":[-3],"activation":"softsign"},"optimizer":{"type":"adagrad"}}"""));
        Assert.NotNull(warm);
        await warm.WaitAsync(TimeSpan.FromSeconds(30)); // completes, and without an exception
        Assert.True(warm.IsCompletedSuccessfully, "the warm-up swallowed the spec's error");
        Assert.Equal(completed, JitWarmup.Completed); // it stopped at validation, and the process is still here
    }
}
