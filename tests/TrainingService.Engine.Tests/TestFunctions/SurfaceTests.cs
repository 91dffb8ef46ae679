using TrainingService.Engine.TestFunctions;
using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Landscape;

public sealed class SurfaceTests
{
    private static string Spec(string surface, string optimizer, int epochs = 200) =>
        $$"""{"dataset":{"name":"{{surface}}"},"model":{"hidden":[]},"optimizer":{{optimizer}},"epochs":{{epochs}},"seed":3}""";

    [Theory]
    [InlineData("quadratic_bowl")]
    [InlineData("rosenbrock")]
    [InlineData("beale")]
    [InlineData("saddle")]
    public void GradientsEqualCentralDifferences(string name)
    {
        var s = Surfaces.Find(name)!;
        var session = Session(Spec(name, """{"type":"sgd"}"""));
        foreach (var (w, b) in new[] { (0.3, -0.7), (-1.2, 1.0), (2.0, 0.25), (0.9, 0.9) })
        {
            session.Network.SetFlatParameters([(float)w, (float)b]);
            double value = s.Evaluate(session.Network);
            double fw = session.Network.Parameters[0].Data[0], fb = session.Network.Parameters[1].Data[0];
            Assert.Equal(s.Value(fw, fb), value, 12);
            const double h = 1e-6;
            double dw = (s.Value(fw + h, fb) - s.Value(fw - h, fb)) / (2 * h), db = (s.Value(fw, fb + h) - s.Value(fw, fb - h)) / (2 * h);
            Assert.Equal(dw, session.Network.Parameters[0].Grad[0], 1e-3 * Math.Max(1, Math.Abs(dw)));
            Assert.Equal(db, session.Network.Parameters[1].Grad[0], 1e-3 * Math.Max(1, Math.Abs(db)));
        }
    }

    [Fact]
    public void MomentumReachesTheBowlsMinimumAndTheTrajectoryIsThePoint()
    {
        var s = Session(Spec("quadratic_bowl", """{"type":"momentum","learningRate":0.05}"""));
        Assert.Equal((1, 2L), (s.StepsPerEpoch, s.Network.ParameterCount));
        var points = new List<float[]>();
        var rec = new Recorder();
        var result = s.Run(new Points(rec, points));
        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        Assert.Equal(200, points.Count);
        Assert.Equal(s.Network.GetFlatParameters(), points[^1]);
        Assert.True(Math.Abs(points[^1][0]) < 1e-3 && Math.Abs(points[^1][1]) < 1e-3, $"({points[^1][0]}, {points[^1][1]})");
        // The step loss is f at the point before the step; each epoch is that one step.
        Assert.Equal(Surfaces.Find("quadratic_bowl")!.Value(points[^2][0], points[^2][1]), rec.Steps[^1].Loss, 12);
        Assert.Equal(rec.Steps[^1].Loss, rec.Epochs[^1].TrainLoss, 12);
        Assert.Null(rec.Epochs[^1].ValidationLoss);
    }

    [Fact]
    public void AdamAndHillClimbingGoDownRosenbrocksValley()
    {
        var f = Surfaces.Find("rosenbrock")!;
        foreach (string optimizer in new[] { """{"type":"adam","learningRate":0.05}""", """{"type":"hill_climbing","stepSize":0.1}""" })
        {
            var s = Session(Spec("rosenbrock", optimizer, epochs: 1500));
            var p0 = s.Network.GetFlatParameters();
            s.Run();
            var p = s.Network.GetFlatParameters();
            Assert.True(f.Value(p[0], p[1]) < 0.05 * f.Value(p0[0], p0[1]), $"{optimizer}: {f.Value(p0[0], p0[1])} → {f.Value(p[0], p[1])}");
        }
    }

    [Fact]
    public void TheLandscapeOfASurfaceIsTheFunctionItself()
    {
        var s = Session(Spec("beale", """{"type":"sgd","learningRate":0.001}""", epochs: 2));
        var grid = LossLandscape.Evaluate(s, -1, 4, -1, 2, 6);
        var f = Surfaces.Find("beale")!;
        for (int j = 0; j < 6; j++)
            for (int i = 0; i < 6; i++)
                Assert.Equal(f.Value((float)(-1 + i), (float)(-1 + 0.6 * j)), grid.Loss[j * 6 + i], 12);
    }

    [Fact]
    public void ASurfaceRefusesHiddenLayersAndAGradientCheck()
    {
        var e = Assert.Throws<SpecException>(() => Session("""{"dataset":{"name":"saddle"},"model":{"hidden":[4]},"gradientCheck":true}"""));
        Assert.Contains(e.Errors, x => x.Path == "model.hidden");
        Assert.Contains(e.Errors, x => x.Path == "gradientCheck");
    }

    private sealed class Points(Recorder inner, List<float[]> points) : ITrainingObserver
    {
        public void OnStep(in StepMetrics step) { inner.OnStep(step); points.Add(step.Point.ToArray()); }
        public void OnEpoch(EpochMetrics epoch, TrainingSession session) => inner.OnEpoch(epoch, session);
    }
}
