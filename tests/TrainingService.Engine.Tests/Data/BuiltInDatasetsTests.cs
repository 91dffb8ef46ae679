using System.Globalization;
using TrainingService.Engine.Data;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Data;

/// <summary>The datasets shipped in the engine load with no data directory, and hold what their sources hold (the
/// copies in tests/data, or the first row of scikit-learn's file for wine and breast_cancer).</summary>
public class BuiltInDatasetsTests
{
    private static readonly string NoDirectory = Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid());

    [Theory]
    [InlineData("iris", 150, 4, 3, 4, 1, 1)]
    [InlineData("wine", 178, 13, 3, 13, 1, 1)]
    [InlineData("breast_cancer", 569, 30, 2, 30, 1, 1)]
    [InlineData("digits", 1797, 64, 10, 1, 8, 8)]
    [InlineData("mnist", 10000, 784, 10, 1, 28, 28)]
    public void EachLoadsWithoutADataDirectory(string name, int rows, int features, int classes, int c, int h, int w)
    {
        Dataset d = DatasetCatalog.Load(name, null, null, 1, NoDirectory);
        Assert.Equal((name, rows, features, classes), (d.Name, d.Count, d.Features, d.Classes));
        Assert.Equal(new Shape(c, h, w), d.Shape);
        Assert.Equal(rows, d.Y.Length);
        Assert.Equal(classes, d.ClassNames!.Length);
        Assert.All(d.Y, y => Assert.InRange(y, 0, classes - 1));

        DatasetInfo info = Assert.Single(DatasetCatalog.List(NoDirectory), i => i.Name == name);
        Assert.Equal(("builtin", "classification", features, classes, rows), (info.Kind, info.Task, info.Features, info.Classes, info.Rows));
        Assert.Equal(h == 1 ? null : new Shape(c, h, w), info.Shape);
    }

    [Fact]
    public void IrisIsTheTestDataCopy()
    {
        Dataset builtIn = DatasetCatalog.Load("iris", null, null, 1, NoDirectory);
        Dataset file = CsvLoader.Load(Path.Combine(SharedPaths.Datasets, "uci", "iris.csv"));
        Assert.Equal(file.X, builtIn.X);
        Assert.Equal(file.Y, builtIn.Y);
        Assert.Equal(["setosa", "versicolor", "virginica"], builtIn.ClassNames!);
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], builtIn.Row(0).ToArray());
    }

    [Fact]
    public void DigitsAreTheCsvPixelsOver16As8x8Images()
    {
        Dataset d = DatasetCatalog.Load("digits", null, null, 1, NoDirectory);
        string[] first = File.ReadLines(Path.Combine(SharedPaths.Datasets, "uci", "digits8x8.csv")).ElementAt(1).Split(',');
        float[] expected = first[..64].Select(v => float.Parse(v, CultureInfo.InvariantCulture) / 16f).ToArray();
        Assert.Equal(expected, d.Row(0).ToArray());
        Assert.Equal(first[64], d.ClassNames![(int)d.Y[0]]);
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture))], d.ClassNames!);
        // scikit-learn's load_digits class counts
        int[] counts = new int[10];
        foreach (float y in d.Y) counts[(int)y]++;
        Assert.Equal([178, 182, 177, 183, 181, 182, 181, 179, 174, 180], counts);
        Assert.Equal(1f, d.X.Max());
    }

    [Fact]
    public void MnistIsTheT10kSetOfTheTestData()
    {
        Dataset builtIn = DatasetCatalog.Load("mnist", null, null, 1, NoDirectory);
        Dataset file = MnistLoader.Load(Path.Combine(SharedPaths.Datasets, "mnist"));
        Assert.Equal(file.X, builtIn.X);
        Assert.Equal(file.Y, builtIn.Y);
        Assert.Equal(7f, builtIn.Y[0]); // the first t10k image is a 7
    }

    [Fact]
    public void WineAndBreastCancerStartWithScikitLearnsFirstRows()
    {
        Dataset wine = DatasetCatalog.Load("wine", null, null, 1, NoDirectory);
        Assert.Equal([14.23f, 1.71f, 2.43f, 15.6f, 127f, 2.8f, 3.06f, 0.28f, 2.29f, 5.64f, 1.04f, 3.92f, 1065f], wine.Row(0).ToArray());
        Assert.Equal(["class_0", "class_1", "class_2"], wine.ClassNames!);
        Assert.Equal([59, 71, 48], Counts(wine));
        Assert.Equal("od280/od315_of_diluted_wines", wine.FeatureNames![11]);

        Dataset bc = DatasetCatalog.Load("breast_cancer", null, null, 1, NoDirectory);
        Assert.Equal(17.99f, bc.Row(0)[0]);
        Assert.Equal(0.1189f, bc.Row(0)[29]);
        Assert.Equal(["malignant", "benign"], bc.ClassNames!); // scikit-learn's target order: 0 malignant, 1 benign
        Assert.Equal([212, 357], Counts(bc));
        Assert.Equal("mean_radius", bc.FeatureNames![0]);
    }

    [Fact]
    public void AMnistFolderInTheDataDirectoryReplacesTheBuiltInOne()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("mnist"));
        foreach (string f in Directory.GetFiles(Path.Combine(SharedPaths.Datasets, "mnist")))
            File.Copy(f, Path.Combine(dir.File("mnist"), Path.GetFileName(f)));
        DatasetInfo mnist = Assert.Single(DatasetCatalog.List(dir.Path), i => i.Name == "mnist");
        Assert.Equal(("mnist", new Shape(1, 28, 28)), (mnist.Kind, mnist.Shape));
        Assert.Equal(10000, DatasetCatalog.Load("mnist", null, null, 1, dir.Path).Count);
    }

    [Fact]
    public void ACsvNamedLikeABuiltInIsListedAndLoadedAsNameDotCsv()
    {
        using var dir = new TempDirectory();
        dir.Write("iris.csv", "a,t\n1,x\n2,y\n");
        IReadOnlyList<DatasetInfo> list = DatasetCatalog.List(dir.Path);
        Assert.Single(list, i => i.Name == "iris.csv" && i.Kind == "csv");
        Assert.Equal(150, DatasetCatalog.Load("iris", null, null, 1, dir.Path).Count);
        Assert.Equal(2, DatasetCatalog.Load("iris.csv", null, null, 1, dir.Path).Count);
    }

    private static int[] Counts(Dataset d)
    {
        var counts = new int[d.Classes];
        foreach (float y in d.Y) counts[(int)y]++;
        return counts;
    }
}
