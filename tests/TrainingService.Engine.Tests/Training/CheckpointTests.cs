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

/// <summary>The session state record through a checkpoint's bytes: every field comes back.</summary>
public sealed class SessionStateRoundTripTests
{
    [Fact]
    public void EveryFieldOfTheStateRoundTrips()
    {
        var metrics = new EpochMetrics(6, 0.5, 0.75, 0.625, null, 0.01);
        var state = new SessionState
        {
            Epoch = 7, Step = 91, RngState = [1, 2, 3, ulong.MaxValue], Schedule = new ScheduleState(0.005, 0.25, 2),
            EarlyStopBest = 0.125, EarlyStopBadEpochs = 1, BestEpoch = 6, BestEpochMetrics = metrics, BestParameters = [1f, -2f, 3.5f],
            TrainSeconds = 12.5, SamplesSeen = 1234, LossEvaluations = 5678, LastEpoch = metrics with { Epoch = 7 },
            Optimizer = new Engine.Optimizers.OptimizerState(91, 0.005, [[[0.5f, 1f, 1.5f]], [[2f]]]),
            Search = new Engine.Search.SearchState([9, 8, 7, 6], [[1f, 2f], [3f, 4f]], [0.5, 2]),
        };
        var back = Checkpoint.Deserialize(new Checkpoint([0.25f, 0.5f, 0.75f], state).Serialize());
        var s = back.State;
        Assert.Equal([0.25f, 0.5f, 0.75f], back.Parameters);
        Assert.Equal((7, 91L, state.Schedule), (s.Epoch, s.Step, s.Schedule));
        Assert.Equal(state.RngState, s.RngState);
        Assert.Equal((0.125, 1, (int?)6, metrics), (s.EarlyStopBest, s.EarlyStopBadEpochs, s.BestEpoch, s.BestEpochMetrics));
        Assert.Equal(state.BestParameters, s.BestParameters);
        Assert.Equal((12.5, 1234L, 5678L, state.LastEpoch), (s.TrainSeconds, s.SamplesSeen, s.LossEvaluations, s.LastEpoch));
        Assert.Equal((91L, 0.005), (s.Optimizer!.StepCount, s.Optimizer.LearningRate));
        Assert.Equal(state.Optimizer.Slots, s.Optimizer.Slots);
        Assert.Equal(state.Search.RngState, s.Search!.RngState);
        Assert.Equal(state.Search.Vectors, s.Search.Vectors);
        Assert.Equal(state.Search.Scalars, s.Search.Scalars);
    }

    [Fact]
    public void ACheckpointIsACopyThatLaterTrainingDoesNotChange()
    {
        var s = TrainingRuns.Session("""
            {"dataset":{"name":"moons","samples":60},"model":{"hidden":[4]},"epochs":4,"seed":3,"earlyStopping":{"patience":10}}
            """);
        var stop = new StopAfter(2);
        Assert.Equal(RunOutcome.Cancelled, s.Run(stop, stop.Token).Outcome);
        var c = s.CreateCheckpoint();
        byte[] bytes = c.Serialize();
        float[] best = (float[])c.State.BestParameters!.Clone();
        s.Run();
        Assert.Equal(4, s.Epoch);
        Assert.Equal(2, c.Epoch);
        Assert.Equal(best, c.State.BestParameters);
        Assert.Equal(bytes, c.Serialize());
    }

    private sealed class StopAfter(int epochs) : ITrainingObserver
    {
        private readonly CancellationTokenSource _cts = new();
        public CancellationToken Token => _cts.Token;
        public void OnStep(in StepMetrics step) { }
        public void OnEpoch(EpochMetrics epoch, TrainingSession session) { if (epoch.Epoch == epochs) _cts.Cancel(); }
    }
}
