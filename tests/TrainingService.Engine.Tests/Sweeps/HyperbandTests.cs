using TrainingService.Engine.Sweeps;

namespace TrainingService.Engine.Tests.Sweeps;

public sealed class HyperbandTests
{
    [Fact]
    public void RungsGrowByEtaFromTheMinimumAndStopBelowTheLastEpoch()
    {
        Assert.Equal([1, 3, 9], new Hyperband(1, 3).Rungs(27));
        Assert.Equal([2, 4, 8, 16], new Hyperband(2, 2).Rungs(20));
        Assert.Equal([1, 3, 9, 27], new Hyperband(1, 3).Rungs(28));
        Assert.Empty(new Hyperband(5, 3).Rungs(5));
    }

    [Fact]
    public void AtARungOnlyTheBestThirdContinues()
    {
        var asha = new Hyperband(1, 3);
        double[] others = [0.5, 0.6, 0.7, 0.8, 0.9]; // six reports with the new one: the best two continue
        Assert.False(asha.ShouldPrune(0.1, others));
        Assert.False(asha.ShouldPrune(0.55, others));
        Assert.True(asha.ShouldPrune(0.65, others));
        Assert.True(asha.ShouldPrune(2.0, others));
        Assert.False(asha.ShouldPrune(0.6, others)); // a tie with the second keeps it
    }

    [Fact]
    public void TheBestIsAlwaysKeptAndTheFirstReportToo()
    {
        var asha = new Hyperband(1, 3);
        Assert.False(asha.ShouldPrune(5.0, []));
        Assert.True(asha.ShouldPrune(5.0, [1.0]));   // two reports: max(1, ⌊2/3⌋) = 1 continues
        Assert.False(asha.ShouldPrune(0.5, [1.0]));
        Assert.True(asha.ShouldPrune(double.NaN, []));
        Assert.False(asha.ShouldPrune(3.0, [double.NaN, double.NaN])); // a NaN never beats a number
    }

    [Fact]
    public void EachTrialIsPrunedOrKeptAsItsRankAmongThoseBeforeIt()
    {
        // Trials report one after another at the same rung: the i-th is kept when it ranks within max(1, ⌊i/3⌋).
        var asha = new Hyperband(1, 3);
        double[] losses = [0.9, 0.8, 1.0, 0.3, 0.7, 0.85, 0.2];
        bool[] pruned = losses.Select((l, i) => asha.ShouldPrune(l, losses[..i])).ToArray();
        Assert.Equal([false, false, true, false, true, true, false], pruned);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 1)]
    public void BadSettingsAreRejectedNamingTheField(int minEpochs, int eta)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Hyperband(minEpochs, eta));
        Assert.Contains(minEpochs < 1 ? "minEpochs" : "eta", e.Message);
    }
}
