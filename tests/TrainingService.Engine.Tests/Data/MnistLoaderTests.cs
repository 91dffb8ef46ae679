using TrainingService.Engine.Data;

namespace TrainingService.Engine.Tests.Data;

public class MnistLoaderTests
{
    [Fact]
    public void T10kLoadsTenThousandDigitsOf784Pixels()
    {
        Dataset d = MnistLoader.Load(Path.Combine(SharedPaths.Datasets, "mnist"));
        Assert.Equal("mnist", d.Name);
        Assert.Equal(10000, d.Count);
        Assert.Equal(784, d.Features);
        Assert.Equal(10, d.Classes);
        Assert.Equal(10000 * 784, d.X.Length);
        Assert.Equal(7f, d.Y[0]);
        Assert.All(d.Y, y => Assert.Contains(y, new[] { 0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f }));
        float min = float.MaxValue, max = float.MinValue;
        foreach (float v in d.X) { min = Math.Min(min, v); max = Math.Max(max, v); }
        Assert.Equal(0f, min);
        Assert.Equal(1f, max);
    }

    [Fact]
    public void TrainPairComesBeforeT10kPair()
    {
        using var dir = new TempDirectory();
        dir.Write("train-images-idx3-ubyte", IdxFiles.Images(2, 2, 2, i => 255));
        dir.Write("train-labels-idx1-ubyte.gz", IdxFiles.Gzip(IdxFiles.Labels(1, 2)));
        dir.Write("t10k-images-idx3-ubyte.gz", IdxFiles.Gzip(IdxFiles.Images(1, 2, 2, i => 51)));
        dir.Write("t10k-labels-idx1-ubyte", IdxFiles.Labels(9));

        Dataset d = MnistLoader.Load(dir.Path);
        Assert.Equal(3, d.Count);
        Assert.Equal(4, d.Features);
        Assert.Equal([1f, 2f, 9f], d.Y);
        Assert.Equal(1f, d.X[0]);
        Assert.Equal(51 / 255f, d.X[8]);
    }

    [Fact]
    public void MissingFilesNameTheDirectoryAndTheExpectedFiles()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<DataFormatException>(() => MnistLoader.Load(dir.Path));
        Assert.Contains(dir.Path, e.Message);
        Assert.Contains("train-images-idx3-ubyte[.gz]", e.Message);
        Assert.Contains("t10k-labels-idx1-ubyte[.gz]", e.Message);
    }

    [Fact]
    public void MissingDirectoryIsADataFormatError()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-mnist-" + Guid.NewGuid());
        var e = Assert.Throws<DataFormatException>(() => MnistLoader.Load(missing));
        Assert.Contains(missing, e.Message);
        Assert.Contains("t10k-images-idx3-ubyte[.gz]", e.Message);
    }

    [Fact]
    public void HalfAPairNamesTheMissingFile()
    {
        using var dir = new TempDirectory();
        dir.Write("t10k-images-idx3-ubyte", IdxFiles.Images(1, 2, 2, i => 0));
        var e = Assert.Throws<DataFormatException>(() => MnistLoader.Load(dir.Path));
        Assert.Contains("not t10k-labels-idx1-ubyte[.gz]", e.Message);
    }

    [Fact]
    public void ImageAndLabelCountMismatchNamesBothFiles()
    {
        using var dir = new TempDirectory();
        string images = dir.Write("t10k-images-idx3-ubyte", IdxFiles.Images(3, 2, 2, i => 0));
        string labels = dir.Write("t10k-labels-idx1-ubyte", IdxFiles.Labels(1, 2));
        var e = Assert.Throws<DataFormatException>(() => MnistLoader.Load(dir.Path));
        Assert.Equal($"count mismatch: {images} has 3 images but {labels} has 2 labels", e.Message);
    }

    [Fact]
    public void LabelAboveNineIsAnError()
    {
        using var dir = new TempDirectory();
        dir.Write("t10k-images-idx3-ubyte", IdxFiles.Images(2, 2, 2, i => 0));
        dir.Write("t10k-labels-idx1-ubyte", IdxFiles.Labels(1, 12));
        var e = Assert.Throws<DataFormatException>(() => MnistLoader.Load(dir.Path));
        Assert.Contains("label 12 at index 1 is outside 0..9", e.Message);
    }

    [Fact]
    public void ImagesFileWithLabelsShapeIsAnError()
    {
        using var dir = new TempDirectory();
        dir.Write("t10k-images-idx3-ubyte", IdxFiles.Labels(1, 2));
        dir.Write("t10k-labels-idx1-ubyte", IdxFiles.Labels(1, 2));
        var e = Assert.Throws<DataFormatException>(() => MnistLoader.Load(dir.Path));
        Assert.Contains("expected 3 dimensions", e.Message);
    }
}
