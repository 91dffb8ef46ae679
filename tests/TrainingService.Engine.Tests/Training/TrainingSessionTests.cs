using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Training;

public sealed class TrainingSessionTests
{
    private const string Xor = """
        {"dataset":{"name":"xor","samples":64},"model":{"hidden":[6],"activation":"tanh"},
         "optimizer":{"type":"sgd","learningRate":0.5},"batchSize":16,"epochs":4,"seed":3}
        """;

    [Fact]
    public void DefaultsAreFilledInAndReported()
    {
        var s = Session("""{"dataset":{"name":"moons"},"seed":5}""");
        Assert.Equal("cross_entropy", s.Spec.Loss);
        Assert.Equal("softmax", s.Spec.Model!.OutputActivation);
        Assert.Equal("adam", s.Spec.Optimizer!.Type);
        Assert.Equal(0.001, s.Spec.Optimizer.LearningRate);
        Assert.Equal(0.9, s.Spec.Optimizer.Beta1);
        Assert.Equal("constant", s.Spec.Optimizer.Schedule!.Type);
        Assert.Equal(200, s.Spec.Dataset!.Samples);
        Assert.Equal(5, s.Spec.Seed);
        Assert.Equal("adam on moons", s.Spec.Name);
    }

    [Fact]
    public void MissingSeedIsChosenAndRecordedSoTheRunCanBeReproduced()
    {
        var s = TrainingSession.Create(Spec("""{"dataset":{"name":"xor"}}"""), SharedPaths.Datasets, randomSeed: () => 1234);
        Assert.Equal(1234, s.Spec.Seed);
    }

    [Fact]
    public void FullBatchTakesOneStepPerEpochAndPerSampleOnePerRow()
    {
        var full = Session("""{"dataset":{"name":"xor","samples":50,"validationFraction":0,"testFraction":0.2},"batchSize":0,"epochs":3,"seed":1}""");
        Assert.Equal(40, full.BatchSize);
        var r = full.Run();
        Assert.Equal(3, r.Summary.Steps);

        var perSample = Session("""{"dataset":{"name":"xor","samples":50,"validationFraction":0,"testFraction":0.2},"batchSize":1,"epochs":2,"seed":1}""");
        Assert.Equal(80, perSample.Run().Summary.Steps);
    }

    [Fact]
    public void StepMetricsCarryLossNormsAndCounters()
    {
        var s = Session(Xor);
        var rec = new Recorder();
        var result = s.Run(rec);
        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        Assert.Equal(s.TotalSteps, rec.Steps.Count);
        Assert.Equal(Enumerable.Range(1, rec.Steps.Count).Select(i => (long)i), rec.Steps.Select(m => m.Step));
        for (int i = 0; i < rec.Steps.Count; i++)
        {
            var m = rec.Steps[i];
            Assert.Equal(2, rec.LayerNorms[i].Length);
            // The global norm is the L2 norm of the per-layer norms.
            Assert.Equal(Math.Sqrt(rec.LayerNorms[i].Sum(v => v * v)), m.GradNorm!.Value, 9);
            Assert.Equal(i + 1, m.LossEvaluations);
            Assert.Equal(0.5, m.LearningRate);
        }
        Assert.Equal(4, rec.Epochs.Count);
        Assert.True(rec.Steps.Zip(rec.Steps.Skip(1)).All(p => p.Second.ElapsedMs >= p.First.ElapsedMs));
    }

    [Fact]
    public void EpochTrainLossIsTheRowWeightedMeanOfItsBatchLosses()
    {
        var s = Session("""{"dataset":{"name":"xor","samples":50,"validationFraction":0,"testFraction":0},"batchSize":16,"epochs":1,"seed":2}""");
        var rec = new Recorder();
        s.Run(rec);
        int[] rows = [16, 16, 16, 2];
        double expected = rec.Steps.Select((m, i) => m.Loss * rows[i]).Sum() / 50;
        Assert.Equal(expected, rec.Epochs[0].TrainLoss, 12);
    }

    [Fact]
    public void DivergedRunStopsAndSaysAtWhichStep()
    {
        var s = Session("""{"dataset":{"name":"linear"},"model":{"hidden":[8]},"loss":"mse","optimizer":{"type":"sgd","learningRate":500},"epochs":50,"seed":1}""");
        var r = s.Run();
        Assert.Equal(RunOutcome.Diverged, r.Outcome);
        Assert.Matches(@"loss became (NaN|infinite) at step \d+ \(epoch \d+\)", r.Error);
        Assert.True(r.Summary.Steps < s.TotalSteps);
    }

    [Fact]
    public void CancellationStopsBetweenSteps()
    {
        var s = Session(Xor);
        var rec = new Recorder { CancelAtStep = 5 };
        var r = s.Run(rec, rec.Cancel.Token);
        Assert.Equal(RunOutcome.Cancelled, r.Outcome);
        Assert.Equal(5, s.Step);
        Assert.Equal(5, rec.Steps.Count);
    }

    [Fact]
    public void NumericalGradientTrainingFollowsBackpropAndCountsItsLossEvaluations()
    {
        const string spec = """
            {"dataset":{"name":"xor","samples":40},"model":{"hidden":[4],"activation":"tanh"},"loss":"mse",
             "optimizer":{"type":"sgd","learningRate":0.1},"batchSize":10,"epochs":2,"seed":9, "gradient": "GRAD"}
            """;
        var back = new Recorder();
        Session(spec.Replace("GRAD", "backprop")).Run(back);
        var num = new Recorder();
        var s = Session(spec.Replace("GRAD", "numerical"));
        s.Run(num);
        long p = s.Network.ParameterCount; // 2·4+4 + 4·2+2 = 22
        Assert.Equal(22, p);
        Assert.Equal(2 * p + 1, num.Steps[0].LossEvaluations);
        Assert.Equal(back.Steps.Count, num.Steps.Count);
        for (int i = 0; i < back.Steps.Count; i++)
        {
            Assert.Equal(back.Steps[i].Loss, num.Steps[i].Loss, 3);
            Assert.Equal(back.Steps[i].GradNorm!.Value, num.Steps[i].GradNorm!.Value, 2);
        }
    }

    [Fact]
    public void GradientCheckOptionReportsTheErrorPerLayer()
    {
        var rec = new Recorder();
        var r = Session("""{"dataset":{"name":"spiral","samples":60},"model":{"hidden":[8,8],"activation":"tanh"},"epochs":1,"seed":4,"gradientCheck":true}""").Run(rec);
        Assert.NotNull(r.GradientCheck);
        Assert.Same(r.GradientCheck, rec.Check);
        Assert.Equal(3, r.GradientCheck!.LayerMaxRelativeError.Length);
        Assert.True(r.GradientCheck.MaxRelativeError < 1e-3, string.Join(", ", r.GradientCheck.LayerMaxRelativeError));
    }

    [Fact]
    public void ClippingLimitsTheUpdateToLearningRateTimesClipNorm()
    {
        var s = Session("""{"dataset":{"name":"xor","samples":32},"model":{"hidden":[5]},"optimizer":{"type":"sgd","learningRate":0.1,"clipNorm":0.001},"batchSize":32,"epochs":1,"seed":1}""");
        float[] before = s.Network.GetFlatParameters();
        var rec = new Recorder();
        s.Run(rec);
        float[] after = s.Network.GetFlatParameters();
        double moved = Math.Sqrt(before.Zip(after).Sum(p => Math.Pow((double)p.First - p.Second, 2)));
        Assert.True(rec.Steps[0].GradNorm > 0.001, "the unclipped norm is reported");
        Assert.Equal(0.1 * 0.001, moved, 6);
    }

    [Fact]
    public void EarlyStoppingStopsWhenValidationLossStallsForPatienceEpochs()
    {
        var s = Session("""
            {"dataset":{"name":"moons","samples":100,"noise":0.4,"validationFraction":0.3},"model":{"hidden":[64,64]},
             "optimizer":{"type":"adam","learningRate":0.05},"batchSize":8,"epochs":300,"seed":2,
             "earlyStopping":{"patience":3,"minDelta":0}}
            """);
        var rec = new Recorder();
        var r = s.Run(rec);
        Assert.NotNull(r.EarlyStoppedAtEpoch);
        Assert.True(r.EarlyStoppedAtEpoch < 300);
        Assert.Equal(r.EarlyStoppedAtEpoch, rec.Epochs.Count);
        // The last 3 epochs did not beat the best validation loss seen before them.
        double bestBefore = rec.Epochs.SkipLast(3).Min(e => e.ValidationLoss!.Value);
        Assert.All(rec.Epochs.TakeLast(3), e => Assert.True(e.ValidationLoss >= bestBefore));
    }

    [Fact]
    public void SpiralWithAdamReaches95PercentTrainAccuracy()
    {
        var r = Session("""
            {"dataset":{"name":"spiral","samples":300},"model":{"hidden":[64,64],"activation":"relu"},
             "optimizer":{"type":"adam","learningRate":0.01},"batchSize":32,"epochs":200,"seed":1}
            """).Run();
        Assert.Equal(RunOutcome.Succeeded, r.Outcome);
        Assert.True(r.Summary.TrainAccuracy >= 0.95, $"train accuracy {r.Summary.TrainAccuracy}");
    }

    [Fact]
    public void MnistMlpReaches93PercentTestAccuracyInFiveEpochs()
    {
        // First 8000 of the t10k digits train, the last 2000 test (as the PyTorch peer, which reaches 94 %).
        var r = Session("""
            {"dataset":{"name":"mnist","validationFraction":0,"testFraction":0.2,"shuffle":false},
             "model":{"hidden":[128],"activation":"relu"},"loss":"cross_entropy",
             "optimizer":{"type":"adam","learningRate":0.001},"batchSize":64,"epochs":5,"seed":1}
            """).Run();
        Assert.True(r.Summary.TestAccuracy >= 0.93, $"test accuracy {r.Summary.TestAccuracy}");
    }
}
