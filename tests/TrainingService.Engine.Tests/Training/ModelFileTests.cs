using TrainingService.Engine.Data;
using TrainingService.Engine.Training;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Training;

public sealed class ModelFileTests
{
    [Fact]
    public void ExportedModelPredictsTheTestSetAsTheSessionEvaluatedIt()
    {
        // iris with standardisation: the model must carry the training statistics.
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(SharedPaths.Datasets, "uci", "iris.csv"), Path.Combine(dir.Path, "iris.csv"));
        var s = Session("""
            {"dataset":{"name":"iris","standardize":true,"testFraction":0.3,"validationFraction":0},
             "model":{"hidden":[8]},"optimizer":{"type":"adam","learningRate":0.05},"epochs":30,"seed":3}
            """, dir.Path);
        var result = s.Run();

        var model = ModelFile.FromJson(ModelFile.From(s).ToJson());
        Assert.Equal(["setosa", "versicolor", "virginica"], model.ClassNames!.Order());
        Assert.NotNull(model.StandardizeMean);

        // Raw (unstandardised) test rows, recovered by inverting the stored statistics.
        var rows = new List<float[]>();
        for (int r = 0; r < s.Test.Count; r++)
            rows.Add(s.Test.X.AsSpan(r * 4, 4).ToArray().Select((v, j) => v * model.StandardizeStd![j] + model.StandardizeMean![j]).ToArray());
        var predictions = new Predictor(model).Predict(rows);
        double accuracy = predictions.Where((p, r) => p.Class == s.Test.Labels![r]).Count() / (double)s.Test.Count;
        Assert.Equal(result.Summary.TestAccuracy!.Value, accuracy, 9);
        Assert.All(predictions, p => Assert.Contains(p.Label, model.ClassNames!));
    }

    [Fact]
    public void CorruptModelFilesAreRefusedWithTheReason()
    {
        var s = Session("""{"dataset":{"name":"xor"},"model":{"hidden":[3]},"epochs":1,"seed":1}""");
        var m = ModelFile.From(s);
        m.Layers[1].Bias = [1f];
        var ex = Assert.Throws<InvalidDataException>(() => ModelFile.FromJson(m.ToJson()));
        Assert.Contains("layers[1].bias", ex.Message);
    }
}
