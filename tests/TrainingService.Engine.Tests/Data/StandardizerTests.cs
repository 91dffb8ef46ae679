using TrainingService.Engine.Data;

namespace TrainingService.Engine.Tests.Data;

public class StandardizerTests
{
    private static Dataset Table(float[,] rows, float[]? y = null)
    {
        int n = rows.GetLength(0), f = rows.GetLength(1);
        var x = new float[n * f];
        for (int r = 0; r < n; r++) for (int j = 0; j < f; j++) x[r * f + j] = rows[r, j];
        return new Dataset { Name = "t", X = x, Y = y ?? new float[n], Count = n, Features = f };
    }

    [Fact]
    public void StandardizedTrainingDataHasMeanZeroAndStdOne()
    {
        Dataset iris = CsvLoader.Load(Path.Combine(SharedPaths.Datasets, "uci", "iris.csv"));
        Dataset z = Standardizer.Fit(iris).Apply(iris);
        for (int j = 0; j < z.Features; j++)
        {
            double sum = 0, sq = 0;
            for (int r = 0; r < z.Count; r++) sum += z.X[r * z.Features + j];
            double mean = sum / z.Count;
            for (int r = 0; r < z.Count; r++) sq += Math.Pow(z.X[r * z.Features + j] - mean, 2);
            Assert.Equal(0, mean, 1e-5);
            Assert.Equal(1, Math.Sqrt(sq / z.Count), 1e-5);
        }
    }

    [Fact]
    public void MeanAndPopulationStdMatchAScalarComputation()
    {
        Standardizer s = Standardizer.Fit(Table(new float[,] { { 1, 10 }, { 2, 20 }, { 4, 60 } }));
        Assert.Equal([7f / 3, 30f], s.Mean);
        Assert.Equal((float)Math.Sqrt(14.0 / 9), s.Std[0], 1e-6f); // population: divide by n, not n − 1
        Assert.Equal((float)Math.Sqrt(1400.0 / 3), s.Std[1], 1e-4f);
    }

    [Fact]
    public void ConstantColumnGetsStdOneAndIsOnlyCentred()
    {
        Dataset d = Table(new float[,] { { 5, 1 }, { 5, 2 }, { 5, 3 } });
        Standardizer s = Standardizer.Fit(d);
        Assert.Equal(5f, s.Mean[0]);
        Assert.Equal(1f, s.Std[0]);
        Dataset z = s.Apply(d);
        Assert.Equal([0f, 0f, 0f], new[] { z.X[0], z.X[2], z.X[4] });
        Assert.All(z.X, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ApplyReturnsANewDatasetAndLeavesTargetsAlone()
    {
        Dataset d = Table(new float[,] { { 1 }, { 3 } }, y: [100f, 200f]);
        Dataset z = Standardizer.Fit(d).Apply(d);
        Assert.Equal([1f, 3f], d.X);
        Assert.Equal([-1f, 1f], z.X);
        Assert.Equal([100f, 200f], z.Y);
        Assert.NotSame(d.Y, z.Y);
    }

    [Fact]
    public void TransformRowMatchesApply()
    {
        Dataset d = SyntheticDatasets.Generate("blobs", 50, 0.3, 1);
        Standardizer s = Standardizer.Fit(d);
        Dataset z = s.Apply(d);
        float[] row = d.Row(17).ToArray();
        s.TransformRow(row);
        Assert.Equal(z.Row(17).ToArray(), row);
    }

    [Fact]
    public void ImportedStatisticsAreUsedAsGiven()
    {
        var s = new Standardizer([1f, -2f], [2f, 0.5f]);
        float[] row = [5f, -1f];
        s.TransformRow(row);
        Assert.Equal([2f, 2f], row);
    }

    [Fact]
    public void ConstructorRejectsMismatchedOrInvalidStatistics()
    {
        Assert.Throws<ArgumentException>(() => new Standardizer([0f, 0f], [1f]));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Standardizer([0f], [0f]));
        Assert.Equal("std", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Standardizer([float.NaN], [1f]));
    }

    [Fact]
    public void WrongFeatureCountIsRejected()
    {
        var s = new Standardizer([0f, 0f], [1f, 1f]);
        Assert.Throws<ArgumentException>(() => s.Apply(Table(new float[,] { { 1 } })));
        Assert.Throws<ArgumentException>(() => s.TransformRow(new float[3]));
    }

    [Fact]
    public void FittingAnEmptyDatasetIsRejected()
    {
        var empty = new Dataset { Name = "e", X = [], Y = [], Count = 0, Features = 2 };
        Assert.Throws<ArgumentException>(() => Standardizer.Fit(empty));
    }
}
