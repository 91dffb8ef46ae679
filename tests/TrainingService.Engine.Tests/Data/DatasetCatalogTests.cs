using TrainingService.Engine.Data;

namespace TrainingService.Engine.Tests.Data;

public class DatasetCatalogTests
{
    private const string SmallCsv = "a,b,label\n1,2,x\n3,4,y\n5,6,x\n";

    [Theory]
    [InlineData("../secret")]
    [InlineData("..")]
    [InlineData("uploads/foo")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\b")]
    [InlineData("foo..csv")]
    public void NamesThatCouldEscapeTheDataDirectoryAreRejected(string name)
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => DatasetCatalog.Load(name, null, null, 1, dir.Path));
        Assert.Equal("name", e.ParamName);
        Assert.Contains($"dataset name '{name}'", e.Message);
    }

    [Fact]
    public void SyntheticNameUsesGeneratorDefaults()
    {
        GeneratorInfo spiral = SyntheticDatasets.Find("spiral")!;
        Dataset d = DatasetCatalog.Load("spiral", null, null, 4, "/nonexistent");
        Dataset expected = SyntheticDatasets.Generate("spiral", spiral.DefaultSamples, spiral.DefaultNoise, 4);
        Assert.Equal(expected.X, d.X);
    }

    [Fact]
    public void SyntheticNamePassesSamplesAndNoise()
    {
        Dataset d = DatasetCatalog.Load("moons", 33, 0.4, 4, "/nonexistent");
        Assert.Equal(SyntheticDatasets.Generate("moons", 33, 0.4, 4).X, d.X);
    }

    [Fact]
    public void CsvIsFoundInUploadsWithOrWithoutExtension()
    {
        using var dir = new TempDirectory();
        dir.Write("uploads/foo.csv", SmallCsv);
        Dataset d = DatasetCatalog.Load("foo", null, null, 1, dir.Path);
        Assert.Equal("foo", d.Name);
        Assert.Equal(3, d.Count);
        Assert.Equal(2, d.Features);
        Assert.Equal(["x", "y"], d.ClassNames!);
        Assert.Equal(3, DatasetCatalog.Load("foo.csv", null, null, 1, dir.Path).Count);
    }

    [Fact]
    public void CsvInTheDataDirectoryWinsOverUploads()
    {
        using var dir = new TempDirectory();
        dir.Write("foo.csv", "a,t\n1,0.5\n");
        dir.Write("uploads/foo.csv", SmallCsv);
        Assert.Equal(1, DatasetCatalog.Load("foo", null, null, 1, dir.Path).Count);
    }

    [Fact]
    public void MnistLoadsFromTheMnistSubdirectory()
    {
        Dataset d = DatasetCatalog.Load("mnist", null, null, 1, SharedPaths.Datasets);
        Assert.Equal(10000, d.Count);
        Assert.Equal(784, d.Features);
    }

    [Fact]
    public void UnknownNameListsTheAvailableNames()
    {
        using var dir = new TempDirectory();
        dir.Write("uploads/mine.csv", SmallCsv);
        var e = Assert.Throws<ArgumentException>(() => DatasetCatalog.Load("nope", null, null, 1, dir.Path));
        Assert.Contains("unknown dataset 'nope'", e.Message);
        Assert.Contains("xor", e.Message);
        Assert.Contains("sine", e.Message);
        Assert.Contains("mine", e.Message);
    }

    [Fact]
    public void MissingDataDirectoryListsOnlySyntheticAndBuiltInDatasets()
    {
        IReadOnlyList<DatasetInfo> list = DatasetCatalog.List(Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid()));
        Assert.Equal(SyntheticDatasets.All.Count + BuiltInDatasets.All.Count, list.Count);
        Assert.Equal(SyntheticDatasets.All.Count, list.Count(i => i.Kind == "synthetic"));
        Assert.Equal(["iris", "wine", "breast_cancer", "digits", "mnist"], list.Where(i => i.Kind == "builtin").Select(i => i.Name));
        DatasetInfo linear = Assert.Single(list, i => i.Name == "linear");
        Assert.Equal(new DatasetInfo("linear", "synthetic", "regression", 1, 0, 100, linear.Description), linear);
    }

    [Fact]
    public void ListDescribesMnistFromItsHeaders()
    {
        IReadOnlyList<DatasetInfo> list = DatasetCatalog.List(SharedPaths.Datasets);
        DatasetInfo mnist = Assert.Single(list, i => i.Name == "mnist");
        Assert.Equal(("mnist", "classification", 784, 10, 10000), (mnist.Kind, mnist.Task, mnist.Features, mnist.Classes, mnist.Rows));
    }

    [Fact]
    public void ListDescribesEachCsvFileAndMarksUnreadableOnes()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(SharedPaths.Datasets, "uci", "iris.csv"), dir.File("iris.csv"));
        dir.Write("uploads/mine.csv", SmallCsv);
        dir.Write("uploads/broken.csv", "a,b\n1\n");
        dir.Write("xor.csv", SmallCsv);
        IReadOnlyList<DatasetInfo> list = DatasetCatalog.List(dir.Path);

        // named like the built-in iris: listed by the name that loads it
        DatasetInfo iris = Assert.Single(list, i => i.Name == "iris.csv");
        Assert.Equal(("csv", "classification", 4, 3, 150), (iris.Kind, iris.Task, iris.Features, iris.Classes, iris.Rows));
        DatasetInfo mine = Assert.Single(list, i => i.Name == "mine");
        Assert.Equal(3, mine.Rows);
        DatasetInfo broken = Assert.Single(list, i => i.Name == "broken");
        Assert.Equal("unknown", broken.Task);
        Assert.Contains("line 2 has 1 fields", broken.Description);
        // A file named like a built-in is listed by the name that loads it.
        Assert.Single(list, i => i.Name == "xor.csv" && i.Kind == "csv");
        Assert.Equal(3, DatasetCatalog.Load("xor.csv", null, null, 1, dir.Path).Count);
        Assert.DoesNotContain(list, i => i.Kind == "mnist"); // no mnist/ folder: the built-in one
        Assert.Single(list, i => i.Name == "mnist" && i.Kind == "builtin");
    }

    [Theory]
    [InlineData("rosenbrock", null)] // a test surface is not a dataset: an upload may take its name (as rosenbrock.csv)
    [InlineData("MNIST", "mnist")]
    [InlineData("Moons", "synthetic")]
    [InlineData("XOR", "synthetic")]
    [InlineData("my-data", null)]
    [InlineData("Iris", "builtin")]
    [InlineData("digits", "builtin")]
    [InlineData("breast_cancer", "builtin")]
    public void BuiltInNamesAreRecognisedIgnoringCase(string name, string? kind) =>
        Assert.Equal(kind, DatasetCatalog.BuiltInKind(name));

    [Fact]
    public void ErrorsNamePathsRelativeToTheDataDirectory()
    {
        using var dir = new TempDirectory();
        dir.Write("uploads/bad.csv", "a,b,label\n1,2,x\n3,oops,y\n");
        var load = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load("bad", null, null, 1, dir.Path));
        Assert.StartsWith("uploads/bad.csv: line 3, column 'b' (2): 'oops' is not a number", load.Message);

        var unknown = Assert.Throws<ArgumentException>(() => DatasetCatalog.Load("nothing", null, null, 1, dir.Path));
        var listed = Assert.Single(DatasetCatalog.List(dir.Path), d => d.Name == "bad");
        Assert.StartsWith("unreadable: uploads/bad.csv: line 3", listed.Description);

        dir.Write("mnist/train-images-idx3-ubyte", [1, 2, 3]);
        dir.Write("mnist/train-labels-idx1-ubyte", [1, 2, 3]);
        var mnist = Assert.ThrowsAny<Exception>(() => DatasetCatalog.Load("mnist", null, null, 1, dir.Path));
        Assert.True(mnist is DataFormatException or IOException, mnist.ToString());
        Assert.Contains("mnist/train-", mnist.Message);
        string listedMnist = Assert.Single(DatasetCatalog.List(dir.Path), d => d.Name == "mnist").Description;

        foreach (string message in new[] { load.Message, unknown.Message, listed.Description, mnist.Message, listedMnist })
            Assert.DoesNotContain(dir.Path, message);
    }

    [Fact]
    public void RelativeCutsTheDataDirectoryFromPathsAndNamesItWhenAlone()
    {
        Assert.Equal("uploads/a.csv: bad; see the data directory",
            DataPaths.Relative("/srv/data/uploads/a.csv: bad; see /srv/data", "/srv/data/"));
        Assert.Equal("/srv/database/x", DataPaths.Relative("/srv/database/x", "/srv/data")); // not a prefix of a name
        Assert.Equal("/etc/x", DataPaths.Relative("/etc/x", "/"));
    }
}
