using System.Text.Json;
using TrainingService.Cli;
using TrainingService.Engine.Tests.Training;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Cli;

[Collection(KernelThreadsCollection.Name)]
public sealed class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliMain.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void SpecPrintsTheRegistryAndItsJsonIsTheApisDocument()
    {
        var (code, output, _) = Run("spec");
        Assert.Equal(0, code);
        foreach (var entry in SpecVocabulary.Optimizers) Assert.Contains($"\n  {entry.Name} (", output);
        Assert.Contains("beta2 = 0.999  number in [0, 1)", output);
        var (jsonCode, json, _) = Run("spec", "--json");
        Assert.Equal(0, jsonCode);
        Assert.Equal(SpecJson.Serialize(VocabularyDocument.Current), json.Trim());
    }

    [Fact]
    public void TrainPrintsAnEpochLineEachThenTheSummaryAsOneJsonLine()
    {
        using var dir = new TempDirectory();
        string spec = dir.Write("spec.json", """{"dataset":{"name":"xor"},"model":{"hidden":[8]},"epochs":3,"seed":1}""");
        var (code, output, _) = Run("train", spec, "--data-dir", dir.Path, "--threads", "2");
        Assert.Equal(0, code);
        string[] lines = output.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)));
        using var json = JsonDocument.Parse(lines[^1]);
        var root = json.RootElement;
        Assert.True(root.GetProperty("samplesPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("trainSeconds").GetDouble() > 0);
        Assert.True(root.GetProperty("finalTrainLoss").GetDouble() > 0);
        Assert.InRange(root.GetProperty("testAccuracy").GetDouble(), 0, 1);
        Assert.Equal("succeeded", root.GetProperty("status").GetString());
        Assert.Equal(2, root.GetProperty("threads").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("earlyStoppedAtEpoch").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("bestEpoch").ValueKind);
    }

    [Fact]
    public void AnEarlyStoppedRunSaysWhenItStoppedAndWhichEpochItKept()
    {
        using var dir = new TempDirectory();
        string spec = dir.Write("spec.json", """
            {"dataset":{"name":"moons","samples":100,"noise":0.4,"validationFraction":0.3},"model":{"hidden":[64,64]},
             "optimizer":{"type":"adam","learningRate":0.05},"batchSize":8,"epochs":300,"seed":2,"earlyStopping":{"patience":3}}
            """);
        var (code, output, _) = Run("train", spec, "--data-dir", dir.Path);
        Assert.Equal(0, code);
        string[] lines = output.TrimEnd().Split('\n');
        using var json = JsonDocument.Parse(lines[^1]);
        var root = json.RootElement;
        int stopped = root.GetProperty("earlyStoppedAtEpoch").GetInt32();
        Assert.Equal(stopped, root.GetProperty("epochs").GetInt32());
        Assert.Equal(stopped - 3, root.GetProperty("bestEpoch").GetInt32());
        // The summary's validation loss is the best epoch's, as printed on its epoch line.
        string bestLine = lines.Single(l => l.StartsWith($"epoch {stopped - 3}/", StringComparison.Ordinal));
        double printed = double.Parse(bestLine.Split("validation loss ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(printed, root.GetProperty("validationLoss").GetDouble(), printed * 1e-4);
    }

    [Fact]
    public void BadSpecExitsWith2NamingTheField()
    {
        using var dir = new TempDirectory();
        string spec = dir.Write("bad.json", """{"optimizer":{"learningRate":-3}}""");
        var (code, _, err) = Run("train", spec);
        Assert.Equal(2, code);
        Assert.Contains("optimizer.learningRate", err);
    }

    [Fact]
    public void MissingDataExitsWith2NamingWhatIsMissing()
    {
        using var dir = new TempDirectory();
        string spec = dir.Write("table.json", """{"dataset":{"name":"my-table"}}"""); // mnist is built in: it never misses
        var (code, _, err) = Run("train", spec, "--data-dir", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("dataset.name", err);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("train", "nosuch.json")]
    [InlineData("train", "x.json", "--threads", "0")]
    [InlineData("train", "x.json", "--bogus")]
    [InlineData("fly")]
    [InlineData("spec", "adam")]
    [InlineData("predict", "only-one.json")]
    public void BadUsageExitsWith2(params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("error:", err);
    }

    [Fact]
    public void SavedModelPredictsACsvAndBadRowsNameTheLine()
    {
        using var dir = new TempDirectory();
        string spec = dir.Write("spec.json", """{"dataset":{"name":"blobs"},"model":{"hidden":[8]},"epochs":20,"seed":1}""");
        string model = Path.Combine(dir.Path, "model.json");
        Assert.Equal(0, Run("train", spec, "--data-dir", dir.Path, "--save-model", model).Code);

        // blobs' centres sit on the unit circle at 90°, 210° and 330°; points at the centres are classified as those classes.
        string input = dir.Write("in.csv", "x1,x2\n0,1\n-0.866,-0.5\n0.866,-0.5\n");
        var (code, output, err) = Run("predict", model, input);
        Assert.True(code == 0, err);
        string[] predicted = output.TrimEnd().Split('\n');
        Assert.Equal(3, predicted.Length);
        Assert.Equal(3, predicted.Distinct().Count());

        string bad = dir.Write("bad.csv", "x1,x2\n1,0\n1,abc\n");
        var (badCode, _, badErr) = Run("predict", model, bad);
        Assert.Equal(2, badCode);
        Assert.Contains("line 3", badErr);
    }
    [Fact]
    public void TrainsATinyConvSpecOnMnistAndItsModelPredicts()
    {
        using var dir = new TempDirectory();
        string spec = dir.Write("spec.json", """
            {"dataset":{"name":"mnist","validationFraction":0.05,"testFraction":0.85},
             "model":{"layers":[{"type":"conv2d","filters":4,"kernel":5,"stride":3},{"type":"relu"},{"type":"maxpool2d","kernel":2},{"type":"flatten"}]},
             "optimizer":{"type":"adam","learningRate":0.01},"batchSize":32,"epochs":2,"seed":1}
            """);
        string model = Path.Combine(dir.Path, "model.json");
        var (code, output, err) = Run("train", spec, "--data-dir", SharedPaths.Datasets, "--save-model", model);
        Assert.True(code == 0, err);
        Assert.Contains("1×28×28 → conv2d+relu 4×8×8 → maxpool2d 4×4×4 → flatten 64 → dense+softmax 10", output);
        using var json = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        Assert.Equal("succeeded", json.RootElement.GetProperty("status").GetString());
        Assert.True(json.RootElement.GetProperty("testAccuracy").GetDouble() > 0.5, output);

        string header = string.Join(",", Enumerable.Range(0, 784).Select(i => $"p{i}"));
        string input = dir.Write("in.csv", $"{header}\n{string.Join(",", Enumerable.Repeat("0", 784))}\n{string.Join(",", Enumerable.Repeat("255", 784))}\n");
        var (predictCode, predicted, predictErr) = Run("predict", model, input);
        Assert.True(predictCode == 0, predictErr);
        Assert.Equal(2, predicted.TrimEnd().Split('\n').Length);
    }
}
