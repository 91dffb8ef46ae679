using System.Text.Json;

namespace TrainingService.Engine.Tests;

/// <summary>The reference data the tests read is found (in the repository's tests/data unless an environment variable
/// names another copy) and is what the tests expect.</summary>
public sealed class ReferenceDataTests
{
    [Fact]
    public void GoldenFolderHoldsMlpCasesAndConvFolderHoldsConvolutionCases()
    {
        Assert.All(Formats(SharedPaths.Golden), f => Assert.Equal("mlp-golden/1", f));
        Assert.All(Formats(SharedPaths.ConvGolden), f => Assert.Equal("cnn-golden/1", f));
    }

    [Fact]
    public void DatasetsFolderHoldsMnistAndTheCsvFiles()
    {
        foreach (string file in (string[])["mnist/t10k-images-idx3-ubyte.gz", "mnist/t10k-labels-idx1-ubyte.gz", "uci/iris.csv", "uci/digits8x8.csv"])
            Assert.True(File.Exists(Path.Combine(SharedPaths.Datasets, file)), $"{file} is missing from {SharedPaths.Datasets}");
    }

    private static List<string> Formats(string dir)
    {
        var files = Directory.GetFiles(dir, "*.json");
        Assert.NotEmpty(files);
        return files.Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("format").GetString()!).ToList();
    }
}
