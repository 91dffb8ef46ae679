using TrainingService.Engine.Training;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Training;

/// <summary>earlyStopping.restoreBestWeights: the kept weights, the figures reported from them, and resume.</summary>
[Collection(KernelThreadsCollection.Name)]
public sealed class EarlyStoppingTests
{
    // Noisy moons and a big step size: the validation loss bottoms out early and climbs, so patience 3 stops the run.
    private static string Spec(bool? restore = null) => """
        {"dataset":{"name":"moons","samples":100,"noise":0.4,"validationFraction":0.3},"model":{"hidden":[64,64]},
         "optimizer":{"type":"adam","learningRate":0.05},"batchSize":8,"epochs":300,"seed":2,
         "earlyStopping":{"patience":3,"minDelta":0
        """ + (restore is { } r ? $",\"restoreBestWeights\":{(r ? "true" : "false")}" : "") + "}}";

    [Fact]
    public void RestoreBestWeightsIsOnByDefault() =>
        Assert.True(Session(Spec()).Spec.EarlyStopping!.RestoreBestWeights);

    [Fact]
    public void WhenItStopsTheBestEpochsWeightsAreKeptAndReported()
    {
        var s = Session(Spec());
        var rec = new Recorder();
        var r = s.Run(rec);

        Assert.NotNull(r.EarlyStoppedAtEpoch);
        int best = r.BestEpoch!.Value;
        Assert.Equal(r.EarlyStoppedAtEpoch - 3, best); // patience 3: three epochs after the best
        var bestMetrics = rec.Epochs[best - 1];
        Assert.Equal(rec.Epochs.Min(e => e.ValidationLoss), bestMetrics.ValidationLoss);
        // The summary's figures are the kept epoch's, and the network holds its weights: evaluating it gives them again.
        Assert.Equal(bestMetrics.ValidationLoss, r.Summary.ValidationLoss);
        Assert.Equal(bestMetrics.TrainLoss, r.Summary.TrainLoss);
        var evaluator = new Evaluator(s.Network, s.Loss);
        Assert.Equal(bestMetrics.ValidationLoss, evaluator.Evaluate(s.Validation).Loss);
        Assert.Equal(r.Summary.TestLoss, evaluator.Evaluate(s.Test).Loss);
        Assert.NotEqual(rec.Epochs[^1].ValidationLoss, r.Summary.ValidationLoss);
        // The stored model is built from the same weights.
        Assert.Equal(s.Network.GetFlatParameters(), ModelFile.FromJson(ModelFile.From(s).ToJson()).BuildNetwork().GetFlatParameters());
    }

    [Fact]
    public void WithoutRestoreTheLastEpochsWeightsAreKept()
    {
        var s = Session(Spec(restore: false));
        var rec = new Recorder();
        var r = s.Run(rec);

        Assert.NotNull(r.EarlyStoppedAtEpoch);
        Assert.Equal(r.EarlyStoppedAtEpoch - 3, r.BestEpoch);
        Assert.Equal(rec.Epochs[^1].ValidationLoss, r.Summary.ValidationLoss);
        Assert.Equal(rec.Epochs[^1].ValidationLoss, new Evaluator(s.Network, s.Loss).Evaluate(s.Validation).Loss);
    }

    [Fact]
    public void AResumedRunThatStopsLaterRestoresTheSameBestWeights()
    {
        var reference = Session(Spec());
        var rec = new Recorder { CaptureCheckpoints = true };
        var full = reference.Run(rec);
        float[] kept = reference.Network.GetFlatParameters();
        int best = full.BestEpoch!.Value;

        // Checkpoints after the best epoch (its weights only in the checkpoint), before it, and the stopping epoch's own
        // (taken before the run's end was stored: the resumed run stops there at once).
        foreach (int epoch in new[] { best + 1, best + 2, best - 1, full.EarlyStoppedAtEpoch!.Value }.Where(e => e >= 1))
        {
            var resumed = TrainingSession.Create(reference.Spec, SharedPaths.Datasets);
            resumed.Restore(Checkpoint.Deserialize(rec.Checkpoints[epoch]));
            var r = resumed.Run();

            Assert.Equal(kept, resumed.Network.GetFlatParameters());
            Assert.Equal(full.EarlyStoppedAtEpoch, r.EarlyStoppedAtEpoch);
            Assert.Equal(best, r.BestEpoch);
            Assert.Equal(full.Summary with { TrainSeconds = 0, SamplesPerSecond = 0 }, r.Summary with { TrainSeconds = 0, SamplesPerSecond = 0 });
        }
    }

    [Fact]
    public void AFormat1CheckpointStillLoadsWithoutABestEpoch()
    {
        var s = Session(Spec());
        var rec = new Recorder { CaptureCheckpoints = true };
        s.Run(rec);
        var c = Checkpoint.Deserialize(rec.Checkpoints[2]);
        Assert.NotNull(c.State.BestParameters);
        // Format 1 is format 2 without the trailing best epoch, best metrics and best weights.
        var withoutBest = c.State.Clone();
        (withoutBest.BestEpoch, withoutBest.BestEpochMetrics, withoutBest.BestParameters) = (null, null, null);
        var v1 = new Checkpoint(c.Parameters, withoutBest).Serialize();
        int tail = 4 + 1 + 1; // best epoch −1, no metrics, no weights
        byte[] bytes = v1[..^tail];
        BitConverter.GetBytes(1).CopyTo(bytes, 0);

        var old = Checkpoint.Deserialize(bytes);
        Assert.Null(old.State.BestEpoch);
        Assert.Null(old.State.BestParameters);
        Assert.Equal(c.Parameters, old.Parameters);
        Assert.Equal(c.State.LastEpoch, old.State.LastEpoch);
        var resumed = TrainingSession.Create(s.Spec, SharedPaths.Datasets);
        resumed.Restore(old);
        Assert.Equal(RunOutcome.Succeeded, resumed.Run().Outcome);
    }
}
