using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Training;

[Collection(KernelThreadsCollection.Name)]
public sealed class CheckpointTests
{
    // Adam state, a plateau schedule and early stopping all have to survive the checkpoint.
    private const string Spec = """
        {"dataset":{"name":"spiral","samples":150,"validationFraction":0.2},"model":{"hidden":[16,16],"activation":"tanh"},
         "optimizer":{"type":"adam","learningRate":0.02,"schedule":{"type":"reduce_on_plateau","patience":1,"factor":0.5}},
         "batchSize":16,"epochs":6,"seed":11,"earlyStopping":{"patience":50}}
        """;

    [Fact]
    public void ResumingFromAnyEpochBoundaryEndsBitIdentical()
    {
        var reference = Session(Spec);
        var rec = new Recorder { CaptureCheckpoints = true };
        var full = reference.Run(rec);
        float[] finalParams = reference.Network.GetFlatParameters();

        foreach (var (epoch, bytes) in rec.Checkpoints.Where(c => c.Key < 6))
        {
            var resumed = TrainingSession.Create(reference.Spec, SharedPaths.Datasets);
            resumed.Restore(Checkpoint.Deserialize(bytes));
            var tail = new Recorder();
            var r = resumed.Run(tail);

            Assert.Equal(finalParams, resumed.Network.GetFlatParameters());
            Assert.Equal(rec.Steps.Skip((int)(epoch * resumed.StepsPerEpoch)).Select(s => s.Loss), tail.Steps.Select(s => s.Loss));
            Assert.Equal(rec.Epochs.Skip(epoch).Select(e => e.LearningRate), tail.Epochs.Select(e => e.LearningRate));
            Assert.Equal(full.Summary.TrainLoss, r.Summary.TrainLoss);
            Assert.Equal(full.Summary.TestLoss, r.Summary.TestLoss);
            Assert.Equal(full.Summary.Steps, r.Summary.Steps);
        }
    }

    [Fact]
    public void CheckpointRoundTripsThroughBytes()
    {
        var s = Session(Spec);
        var rec = new Recorder { CaptureCheckpoints = true };
        s.Run(rec);
        var c = Checkpoint.Deserialize(rec.Checkpoints[3]);
        Assert.Equal(3, c.Epoch);
        Assert.Equal(3 * s.StepsPerEpoch, c.Step);
        Assert.Equal(rec.Checkpoints[3], c.Serialize());
    }

    [Theory]
    // Wide enough that the matrix products are split across threads.
    [InlineData("""{"hidden":[256,128]}""", "adam", 100)]
    // And a batch large enough that the element-wise passes (bias + activation, derivative, bias gradient) are too.
    [InlineData("""{"hidden":[512,300],"activation":"tanh"}""", "momentum", 256)]
    public void SameSeedGivesBitIdenticalResultsWithOneAndTwoThreads(string model, string optimizer, int batch)
    {
        string wide = $$"""
            {"dataset":{"name":"mnist","validationFraction":0,"testFraction":0.8,"shuffle":false},
             "model":{{model}},"optimizer":{"type":"{{optimizer}}"},"batchSize":{{batch}},"epochs":1,"seed":5}
            """;
        int saved = Kernels.Threads;
        try
        {
            Kernels.Threads = 1;
            var one = Session(wide); var r1 = one.Run();
            Kernels.Threads = 2;
            var two = Session(wide); var r2 = two.Run();
            Assert.Equal(one.Network.GetFlatParameters(), two.Network.GetFlatParameters());
            Assert.Equal(r1.Summary.TestLoss, r2.Summary.TestLoss);
        }
        finally { Kernels.Threads = saved; }
    }
}
