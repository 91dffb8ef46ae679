using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Landscape;

public sealed class RegressionViewTests
{
    private const string Line = """
        {"dataset":{"name":"linear","samples":80},"model":{"hidden":[]},"loss":"mse",
         "optimizer":{"type":"sgd","learningRate":0.1},"batchSize":16,"epochs":4,"seed":2}
        """;

    [Theory]
    [InlineData("""{"dataset":{"name":"linear"},"model":{"hidden":[]}}""", true)]
    [InlineData("""{"dataset":{"name":"sine"},"model":{"hidden":[8]},"loss":"l1"}""", true)]
    [InlineData("""{"dataset":{"name":"moons"}}""", false)]
    [InlineData("""{"dataset":{"name":"rosenbrock"},"model":{"hidden":[]}}""", false)]
    public void AppliesToRegressorsOfOneFeatureAndOneOutput(string spec, bool applies) =>
        Assert.Equal(applies, RegressionView.Applies(Session(spec)));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(200, 200)]
    [InlineData(201, 200)]
    [InlineData(70_000, 200)]
    public void ShowsEveryRowUpTo200ThenEvenlySpacedOnes(int count, int shown)
    {
        int[] rows = RegressionView.ShownRows(count);
        Assert.Equal(shown, rows.Length);
        Assert.Equal(rows.Distinct().Order(), rows);
        if (count > 0) Assert.True(rows[0] == 0 && rows[^1] < count && rows[^1] >= count - count / RegressionView.MaxPoints - 1);
    }

    /// <summary>The view only reads the network (forward passes in its own workspaces, the slice on a copy): a run that
    /// computes it at every epoch end trains bit for bit as one that does not.</summary>
    [Fact]
    public void ComputingTheViewBetweenEpochsLeavesTrainingBitIdentical()
    {
        var plain = Session(Line);
        plain.Run();
        var watched = Session(Line);
        var views = new List<RegressionFit>();
        watched.Run(new Watcher(views));
        Assert.Equal(4, views.Count);
        Assert.Equal(plain.Network.GetFlatParameters(), watched.Network.GetFlatParameters());
        Assert.NotEqual(views[0].CurveY, views[^1].CurveY);
    }

    /// <summary>For the line: the curve is w·x + b, and the slice is mean((y − w_i·x − b)²), computed here in double.</summary>
    [Fact]
    public void ALinesCurveAndSliceAreItsLineAndItsMseAlongW()
    {
        var s = Session(Line);
        s.Run();
        var fit = RegressionView.Compute(s, RegressionView.Bounds(s));
        float[] p = s.Network.GetFlatParameters();
        for (int i = 0; i < fit.CurveX.Length; i++) Close(p[0] * (double)fit.CurveX[i] + p[1], fit.CurveY[i]);
        var slope = fit.Slope!;
        Assert.Equal((p[0], p[1]), (slope.W, slope.B));
        double Mse(double w) => fit.X.Select((x, i) => Math.Pow(fit.Y[i] - (w * x + slope.B), 2)).Average();
        for (int i = 0; i < slope.Loss.Length; i++)
            Close(Mse(slope.WMin + (slope.WMax - slope.WMin) * i / (slope.Loss.Length - 1)), slope.Loss[i]);
        Close(Mse(slope.W), fit.Loss!.Value);
        // The range reaches past the least-squares slope (≈ 2 for y = 2x + 1) on both sides.
        Assert.InRange(2.0, slope.WMin, slope.WMax);
    }

    /// <summary>Float forward passes against double arithmetic: within 1e-5, relative once above 1.</summary>
    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{actual} is not {expected}");

    private sealed class Watcher(List<RegressionFit> views) : ITrainingObserver
    {
        public void OnEpoch(EpochMetrics epoch, TrainingSession session) => views.Add(RegressionView.Compute(session, RegressionView.Bounds(session)));
    }
}
