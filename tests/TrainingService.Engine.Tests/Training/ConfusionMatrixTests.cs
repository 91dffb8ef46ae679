using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Training;

public sealed class ConfusionMatrixTests
{
    /// <summary>An untrained 3-class net on more rows than one evaluator chunk: the matrix counts every row, its diagonal
    /// is what the evaluator calls correct, and the wrong rows it keeps are the most confident of all wrong rows.</summary>
    [Fact]
    public void DiagonalIsTheEvaluatorsAccuracyAndTheKeptMistakesAreTheMostConfident()
    {
        var s = TrainingRuns.Session("""{ "dataset": { "name": "spiral", "samples": 4000 }, "model": { "hidden": [8] }, "epochs": 1, "seed": 5 }""");
        var split = s.Test;
        Assert.True(split.Count > Evaluator.MaxChunkRows);
        var m = ConfusionMatrix.Compute(s.Network, split, 3, worst: 7);

        Assert.Equal(split.Count, m.Counts.Sum(row => row.Sum()));
        long diagonal = m.Counts[0][0] + m.Counts[1][1] + m.Counts[2][2];
        Assert.Equal(new Evaluator(s.Network, s.Loss).Evaluate(split).Accuracy!.Value, (double)diagonal / split.Count, 12);

        // Every wrong row, by a matrix that keeps them all: the seven kept are its first seven.
        var all = ConfusionMatrix.Compute(s.Network, split, 3, worst: split.Count);
        Assert.Equal(split.Count - diagonal, all.MostConfidentlyWrong.Count);
        Assert.Equal(all.MostConfidentlyWrong.Take(7).Select(w => w.Row), m.MostConfidentlyWrong.Select(w => w.Row));
        Assert.All(all.MostConfidentlyWrong, w =>
        {
            Assert.NotEqual(w.Label, w.Predicted);
            Assert.Equal(split.Labels![w.Row], w.Label);
            Assert.Equal(Accuracy.Predict(w.Output), w.Predicted);
            Assert.Equal(w.Output[w.Predicted], w.Confidence);
        });
        var confidences = all.MostConfidentlyWrong.Select(w => w.Confidence).ToList();
        Assert.Equal(confidences.OrderDescending(), confidences);
    }

    [Fact]
    public void ARegressionSplitIsRefused()
    {
        var s = TrainingRuns.Session("""{ "dataset": { "name": "linear" }, "model": { "hidden": [] }, "epochs": 1, "seed": 1 }""");
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute(s.Network, s.Test, 2, 3));
    }
}
