using TrainingService.Engine.Training;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Training;

/// <summary>The learning-rate finder: a range_test schedule raises the rate every step and ends the run.</summary>
public sealed class RangeTestTests
{
    private static string Finder(double min, double max, int steps, string optimizer = "adam", int samples = 200) => $$$"""
        {"dataset":{"name":"spiral","samples":{{{samples}}},"validationFraction":0.2},"model":{"hidden":[16],"activation":"tanh"},
         "optimizer":{"type":"{{{optimizer}}}","schedule":{"type":"range_test","minLearningRate":{{{min}}},"maxLearningRate":{{{max}}},"steps":{{{steps}}}}},
         "batchSize":16,"epochs":1,"seed":5}
        """;

    [Fact]
    public void RatesFollowTheExponentialFromMinAtStepOneToMaxAtTheLastStep()
    {
        // 1e-4 → 1e-2 over 21 steps: each step multiplies by 10^(2/20), so step k has 1e-4·10^((k−1)/10). The run
        // (epochs 1, fewer batches than that) goes on past its epochs to the 21st step and stops there.
        var s = Session(Finder(1e-4, 1e-2, 21));
        var rec = new Recorder();
        var r = s.Run(rec);
        Assert.Equal(RunOutcome.Succeeded, r.Outcome);
        Assert.Equal(21, rec.Steps.Count);
        Assert.Equal(1e-4, rec.Steps[0].LearningRate, 1e-16);
        Assert.Equal(1e-2, rec.Steps[^1].LearningRate, 1e-16);
        for (int k = 1; k <= 21; k++)
            Assert.Equal(1e-4 * Math.Pow(10, (k - 1) / 10.0), rec.Steps[k - 1].LearningRate, 1e-4 * Math.Pow(10, (k - 1) / 10.0) * 1e-12);
        Assert.Equal(21, r.Summary.Steps);
        Assert.NotNull(r.Summary.SuggestedLearningRate);
        Assert.InRange(r.Summary.SuggestedLearningRate!.Value, 1e-4, 1e-2);
        Assert.InRange(r.Summary.MinimumLearningRateOverTen!.Value, 1e-5, 1e-3);
    }

    [Fact]
    public void StopsWhenTheLossExplodes()
    {
        // Plain SGD up to a rate of 1000 blows up long before 300 steps: the run stops early, succeeded, with a suggestion
        // from the part of the curve before the explosion.
        var s = Session(Finder(1e-3, 1000, 300, "sgd"));
        var rec = new Recorder();
        var r = s.Run(rec);
        Assert.Equal(RunOutcome.Succeeded, r.Outcome);
        Assert.True(rec.Steps.Count < 300, $"ran {rec.Steps.Count} steps");
        Assert.True(r.Summary.Steps < 300);
        Assert.InRange(r.Summary.SuggestedLearningRate!.Value, 1e-3, rec.Steps[^1].LearningRate);
    }

    [Fact]
    public void RecordStopsAtFourTimesTheSmoothedMinimumOrANonFiniteLoss()
    {
        var schedule = new LearningRateSchedule(new() { Type = "range_test", MinLearningRate = 1e-3, MaxLearningRate = 1, Steps = 50 }, 1, 1);
        var range = new RangeTest(schedule);
        for (int i = 0; i < 10; i++) Assert.False(range.Record(1.0));
        Assert.False(range.Record(2.0));
        Assert.True(range.Record(1000.0));
        var nan = new RangeTest(schedule);
        Assert.False(nan.Record(1.0));
        Assert.True(nan.Record(double.NaN));
    }

    [Fact]
    public void SuggestsTheSteepestDescentOfTheSmoothedLossAndTheMinimumOverTen()
    {
        // A synthetic curve over 101 steps (rates 1e-5 → 1e1, 0.06 decades a step): flat at 2, a logistic fall to 0.2
        // whose steepest point is step 41, flat, then a rise. The smoothed curve (EMA, β 0.98, debiased) lags the raw
        // one, so its steepest descent is a few steps after 41; its minimum is in the flat bottom before the rise.
        static double Rate(long k) => 1e-5 * Math.Pow(10, (k - 1) * 0.06);
        double[] losses = new double[101];
        for (int i = 0; i < losses.Length; i++)
        {
            int k = i + 1;
            losses[i] = 0.2 + 1.8 / (1 + Math.Exp((k - 41) / 3.0)) + (k > 80 ? 0.05 * (k - 80) * (k - 80) : 0);
        }
        var found = RangeTest.Suggest(losses, Rate)!;
        int steepStep = (int)Math.Round(Math.Log10(found.Suggested / 1e-5) / 0.06) + 1;
        Assert.InRange(steepStep, 41, 50);
        Assert.Equal(found.Suggested, found.Steepest);
        int minStep = (int)Math.Round(Math.Log10(found.MinimumOverTen * 10 / 1e-5) / 0.06) + 1;
        Assert.InRange(minStep, 60, 85);
    }

    [Fact]
    public void IsDeterministicAndResumesBitIdentical()
    {
        // 60 steps over several epochs: checkpoints at the epoch boundaries carry the losses, and a resumed run ends alike.
        string spec = Finder(1e-4, 1, 60);
        var a = Session(spec); var recA = new Recorder { CaptureCheckpoints = true }; var ra = a.Run(recA);
        var b = Session(spec); var rb = b.Run(new Recorder());
        Assert.Equal(ra.Summary.SuggestedLearningRate, rb.Summary.SuggestedLearningRate);
        Assert.Equal(a.Network.GetFlatParameters(), b.Network.GetFlatParameters());

        var resumed = TrainingSession.Create(a.Spec, SharedPaths.Datasets);
        resumed.Restore(Checkpoint.Deserialize(recA.Checkpoints[3]));
        var tail = new Recorder();
        var rc = resumed.Run(tail);
        Assert.Equal(recA.Steps.Skip((int)(3 * resumed.StepsPerEpoch)).Select(x => (x.LearningRate, x.Loss)), tail.Steps.Select(x => (x.LearningRate, x.Loss)));
        Assert.Equal(ra.Summary.SuggestedLearningRate, rc.Summary.SuggestedLearningRate);
        Assert.Equal(ra.Summary.MinimumLearningRateOverTen, rc.Summary.MinimumLearningRateOverTen);
        Assert.Equal(a.Network.GetFlatParameters(), resumed.Network.GetFlatParameters());
    }

    [Fact]
    public void ValidationRefusesMaxNotAboveMin() =>
        Assert.Contains(SpecValidator.Validate(Spec(Finder(1, 0.5, 10))), e => e.Path == "optimizer.schedule.maxLearningRate");

    [Fact]
    public void AdamsSuggestionOnSpiralTrainsWell()
    {
        // The finder on Adam and spiral, then 30 epochs at its suggestion, against the same 30 epochs at the range's
        // floor: the suggestion trains to a good accuracy, the floor barely moves (the finder found a useful rate).
        const string data = "{\"dataset\":{\"name\":\"spiral\",\"samples\":400,\"validationFraction\":0.2},\"model\":{\"hidden\":[32,32],\"activation\":\"tanh\"},\"batchSize\":32,\"seed\":3,";
        var finder = Session(data + "\"epochs\":1,\"optimizer\":{\"type\":\"adam\",\"schedule\":{\"type\":\"range_test\",\"minLearningRate\":1e-5,\"maxLearningRate\":10,\"steps\":100}}}");
        double rate = finder.Run().Summary.SuggestedLearningRate!.Value;
        Assert.InRange(rate, 1e-4, 1);
        double Accuracy(double lr) => Session(data + "\"epochs\":30,\"optimizer\":{\"type\":\"adam\",\"learningRate\":" + lr.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "}}")
            .Run().Summary.ValidationAccuracy!.Value;
        double suggested = Accuracy(rate), floor = Accuracy(1e-5);
        Assert.True(suggested >= 0.8, $"validation accuracy {suggested} at the suggested {rate}");
        Assert.True(suggested > floor + 0.2, $"suggested {suggested} vs floor {floor}");
    }
}
