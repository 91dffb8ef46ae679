using TrainingService.Engine.Data;

namespace TrainingService.Engine.Tests.Data;

public class DatasetSplitterTests
{
    /// <summary>Row i has feature value i and class i % 3, so every part shows exactly which rows it got.</summary>
    private static Dataset Indexed(int count)
    {
        var x = new float[count];
        var y = new float[count];
        for (int i = 0; i < count; i++) { x[i] = i; y[i] = i % 3; }
        return new Dataset { Name = "idx", X = x, Y = y, Count = count, Features = 1, Classes = 3, FeatureNames = ["i"] };
    }

    [Theory]
    [InlineData(10000, 0.1, 0.2, 7000, 1000, 2000)]
    [InlineData(150, 0.15, 0.15, 106, 22, 22)] // 22.5 rounds to even
    [InlineData(7, 0, 0, 7, 0, 0)]
    [InlineData(3, 0.34, 0.34, 1, 1, 1)]
    public void SizesAreRoundedFractionsWithTheRestForTraining(int count, double val, double test, int nTrain, int nVal, int nTest)
    {
        DatasetSplit s = DatasetSplitter.Split(Indexed(count), val, test, shuffle: true, seed: 1);
        Assert.Equal(nTrain, s.Train.Count);
        Assert.Equal(nVal, s.Validation.Count);
        Assert.Equal(nTest, s.Test.Count);
    }

    [Fact]
    public void WithoutShuffleFileOrderIsKeptTrainThenValidationThenTest()
    {
        // MNIST t10k with testFraction 0.2: the first 8000 rows train, the last 2000 test.
        DatasetSplit s = DatasetSplitter.Split(Indexed(10000), 0, 0.2, shuffle: false, seed: 1);
        Assert.Equal(8000, s.Train.Count);
        Assert.Equal(0f, s.Train.X[0]);
        Assert.Equal(7999f, s.Train.X[^1]);
        Assert.Equal(8000f, s.Test.X[0]);
        Assert.Equal(9999f, s.Test.X[^1]);

        DatasetSplit v = DatasetSplitter.Split(Indexed(10), 0.2, 0.3, shuffle: false, seed: 1);
        Assert.Equal([0f, 1f, 2f, 3f, 4f], v.Train.X);
        Assert.Equal([5f, 6f], v.Validation.X);
        Assert.Equal([7f, 8f, 9f], v.Test.X);
    }

    [Fact]
    public void ShuffleIsDeterministicForASeedAndDiffersAcrossSeeds()
    {
        Dataset d = Indexed(100);
        DatasetSplit a = DatasetSplitter.Split(d, 0.2, 0.2, shuffle: true, seed: 7);
        DatasetSplit b = DatasetSplitter.Split(d, 0.2, 0.2, shuffle: true, seed: 7);
        DatasetSplit c = DatasetSplitter.Split(d, 0.2, 0.2, shuffle: true, seed: 8);
        Assert.Equal(a.Train.X, b.Train.X);
        Assert.Equal(a.Validation.X, b.Validation.X);
        Assert.Equal(a.Test.X, b.Test.X);
        Assert.NotEqual(a.Train.X, c.Train.X);
        Assert.NotEqual(d.X[..60], a.Train.X);
    }

    [Fact]
    public void ShuffledPartsAreDisjointCoverEveryRowAndKeepRowsWhole()
    {
        DatasetSplit s = DatasetSplitter.Split(Indexed(100), 0.25, 0.1, shuffle: true, seed: 3);
        var seen = new HashSet<float>();
        foreach (Dataset part in new[] { s.Train, s.Validation, s.Test })
            for (int i = 0; i < part.Count; i++)
            {
                Assert.True(seen.Add(part.X[i]));
                Assert.Equal(part.X[i] % 3, part.Y[i]); // the target travelled with its row
            }
        Assert.Equal(100, seen.Count);
    }

    [Fact]
    public void PartsKeepShapeMetadataAndAreNamed()
    {
        DatasetSplit s = DatasetSplitter.Split(Indexed(10), 0.2, 0.2, shuffle: false, seed: 0);
        Assert.Equal("idx/train", s.Train.Name);
        Assert.Equal("idx/validation", s.Validation.Name);
        Assert.Equal("idx/test", s.Test.Name);
        Assert.Equal(3, s.Test.Classes);
        Assert.Equal(["i"], s.Test.FeatureNames!);
    }

    [Theory]
    [InlineData(-0.1, 0.1, "validationFraction")]
    [InlineData(1.0, 0.0, "validationFraction")]
    [InlineData(double.NaN, 0.1, "validationFraction")]
    [InlineData(0.1, -0.01, "testFraction")]
    [InlineData(0.1, 1.0, "testFraction")]
    [InlineData(0.1, double.NaN, "testFraction")]
    [InlineData(0.5, 0.5, "testFraction")]
    [InlineData(0.7, 0.6, "testFraction")]
    public void FractionsOutsideTheirRangeAreRejectedByName(double val, double test, string param)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplitter.Split(Indexed(10), val, test, false, 0));
        Assert.Equal(param, e.ParamName);
        Assert.Contains(param, e.Message);
    }

    [Fact]
    public void SumOfFractionsAtLeastOneNamesBoth()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplitter.Split(Indexed(10), 0.5, 0.5, false, 0));
        Assert.Contains("validationFraction (0.5) + testFraction (0.5)", e.Message);
    }

    [Fact]
    public void NoRowLeftForTrainingIsAnError()
    {
        // 2 rows: round(0.8) = 1 test, round(1.0) = 1 validation, 0 train.
        var e = Assert.Throws<ArgumentException>(() => DatasetSplitter.Split(Indexed(2), 0.5, 0.4, false, 0));
        Assert.Contains("none are left for training", e.Message);
    }
}
