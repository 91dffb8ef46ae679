using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Landscape;

public sealed class LandscapeTests
{
    private const string Line = """
        {"dataset":{"name":"linear","samples":80},"model":{"hidden":[]},"loss":"mse",
         "optimizer":{"type":"sgd","learningRate":0.1},"batchSize":16,"epochs":3,"seed":2}
        """;

    [Fact]
    public void TwoParameterRunsRecordTheirTrajectory()
    {
        var s = Session(Line);
        Assert.True(LossLandscape.Applies(s));
        var rec = new Recorder { CaptureCheckpoints = true };
        var points = new List<float[]>();
        var observer = new PointRecorder(rec, points);
        s.Run(observer);
        Assert.Equal(rec.Steps.Count, points.Count);
        Assert.Equal(s.Network.GetFlatParameters(), points[^1]);
        // At each epoch boundary the trajectory equals the stored (checkpointed) parameters.
        foreach (var (epoch, bytes) in rec.Checkpoints)
            Assert.Equal(Checkpoint.Deserialize(bytes).Parameters, points[epoch * s.StepsPerEpoch - 1]);
    }

    [Fact]
    public void GridValuesEqualTheLossComputedDirectlyAtThosePoints()
    {
        var s = Session(Line);
        s.Run();
        var grid = LossLandscape.Evaluate(s, -1, 3, -2, 2, 5);
        var evaluator = new Evaluator(s.Network, s.Loss);
        foreach (var (i, j) in new[] { (0, 0), (2, 3), (4, 4), (1, 2) })
        {
            s.Network.SetFlatParameters([(float)(-1 + i), (float)(-2 + j)]);
            Assert.Equal(evaluator.Evaluate(s.Train).Loss!.Value, grid.Loss[j * 5 + i], 12);
        }
        // y = 2x + 1 + noise: the bowl's floor is near (2, 1).
        var fine = LossLandscape.Evaluate(s, 0, 4, -1, 3, 41);
        int best = Array.IndexOf(fine.Loss, fine.Loss.Min());
        Assert.Equal(2.0, fine.WMin + (best % 41) * 0.1, 0);
        Assert.Equal(1.0, fine.BMin + (best / 41) * 0.1, 0);
    }

    [Fact]
    public void BoundsCoverTheTrajectoryWithAMargin()
    {
        var (wMin, wMax, bMin, bMax) = LossLandscape.BoundsAround([(0, 0), (2, 1), (1, -3)]);
        Assert.True(wMin < 0 && wMax > 2 && bMin < -3 && bMax > 1);
    }

    [Fact]
    public void DecisionGridAgreesWithThePredictorAndMovesAsTheModelLearns()
    {
        var s = Session("""{"dataset":{"name":"moons"},"model":{"hidden":[16]},"optimizer":{"type":"adam","learningRate":0.05},"epochs":1,"seed":1}""");
        Assert.True(DecisionBoundary.Applies(s));
        var bounds = DecisionBoundary.Bounds(s);
        var before = DecisionBoundary.Compute(s.Network, 2, bounds, 20);
        s.Run();
        var after = DecisionBoundary.Compute(s.Network, 2, bounds, 20);
        Assert.NotEqual(before.Confidence, after.Confidence);

        var predictor = new Predictor(ModelFile.From(s));
        int k = 7 * 20 + 13;
        float x = (float)(bounds.XMin + (bounds.XMax - bounds.XMin) * 13 / 19), y = (float)(bounds.YMin + (bounds.YMax - bounds.YMin) * 7 / 19);
        var p = predictor.Predict([[x, y]])[0];
        Assert.Equal(p.Class, after.Class[k]);
        Assert.Equal(p.Output[p.Class!.Value], after.Confidence[k]);
    }

    [Fact]
    public void SaturationIsReportedForSigmoidLayersOnly()
    {
        var s = Session("""{"dataset":{"name":"spiral","samples":60},"model":{"hidden":[16,16],"activation":"sigmoid"},"epochs":1,"seed":1}""");
        var rec = new Recorder();
        s.Run(rec);
        double?[] f = rec.Epochs[0].SaturatedFraction!;
        Assert.Equal(3, f.Length);
        Assert.All(f[..2], v => Assert.InRange(v!.Value, 0, 1));
        Assert.Null(f[2]); // softmax output

        // Blow the weights up: every sigmoid unit lands on a flat tail.
        var big = s.Network.GetFlatParameters().Select(v => v * 200).ToArray();
        s.Network.SetFlatParameters(big);
        double?[] saturated = new Saturation(s.Network).Measure(s.Train);
        Assert.True(saturated[0] > 0.9, $"{saturated[0]}");

        var relu = Session("""{"dataset":{"name":"spiral","samples":60},"model":{"hidden":[8]},"epochs":1,"seed":1}""");
        Assert.All(new Saturation(relu.Network).Measure(relu.Train), v => Assert.Null(v));
    }

    private sealed class PointRecorder(Recorder inner, List<float[]> points) : ITrainingObserver
    {
        public void OnStep(in StepMetrics step) { inner.OnStep(step); points.Add(step.Point.ToArray()); }
        public void OnEpoch(EpochMetrics epoch, TrainingSession session) => inner.OnEpoch(epoch, session);
    }
}
