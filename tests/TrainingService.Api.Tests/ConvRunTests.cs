using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TrainingService.Api.Tests;

/// <summary>A model.layers run through the service: trained by the worker on MNIST (the repository's t10k copy in the
/// service's data directory), its per-layer gradient norms one per layer with weights, its model file format 2 and
/// predict answering for 784-pixel rows; the gradient check on a conv net (step 0, float64 reference), refused only where
/// a dropout mask would have to be repeated.</summary>
public sealed class ConvRunTests
{
    private static string RepositoryMnist()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "data", "datasets", "mnist");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("no tests/data/datasets/mnist above the test binaries");
    }

    [Fact]
    public async Task AConvSpecTrainsServesItsModelAndPredicts()
    {
        await using var factory = new ServiceFactory();
        string mnist = Path.Combine(factory.DataDirectory, "mnist");
        Directory.CreateDirectory(mnist);
        foreach (string f in Directory.GetFiles(RepositoryMnist())) File.Copy(f, Path.Combine(mnist, Path.GetFileName(f)));
        var client = factory.CreateClient();

        using var spec = JsonDocument.Parse("""
            {"dataset":{"name":"mnist","validationFraction":0.05,"testFraction":0.85},
             "model":{"layers":[{"type":"conv2d","filters":4,"kernel":5,"stride":3},{"type":"relu"},{"type":"maxpool2d","kernel":2},{"type":"flatten"},{"type":"dense","units":16},{"type":"tanh"}]},
             "optimizer":{"type":"adam","learningRate":0.01},"batchSize":64,"epochs":1,"seed":1}
            """);
        var run = await client.WaitAsync((await client.SubmitAsync(spec.RootElement)).Id, timeoutSeconds: 120);
        Assert.Equal("succeeded", run.Status);

        var metrics = await client.GetMetricsAsync(run.Id);
        Assert.NotEmpty(metrics.Steps);
        Assert.All(metrics.Steps, s => Assert.Equal(3, s.LayerGradNorms.Length)); // conv2d, dense, output

        using var model = JsonDocument.Parse(await client.GetStringAsync($"/api/runs/{run.Id}/model"));
        Assert.Equal("trainingservice-model/2", model.RootElement.GetProperty("format").GetString());
        Assert.Equal([1, 28, 28], model.RootElement.GetProperty("inputShape").EnumerateArray().Select(e => e.GetInt32()));

        var predict = await client.PostAsJsonAsync($"/api/runs/{run.Id}/predict", new { rows = new[] { new float[784], Enumerable.Repeat(1f, 784).ToArray() } });
        Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
        var predictions = (await predict.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions");
        Assert.Equal(2, predictions.GetArrayLength());
        Assert.Equal(10, predictions[0].GetProperty("output").GetArrayLength());
    }

    [Fact]
    public async Task AConvRunChecksItsGradientsPerLayerWithWeights()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        using var spec = JsonDocument.Parse("""
            {"dataset":{"name":"digits"},
             "model":{"layers":[{"type":"conv2d","filters":4,"kernel":3},{"type":"relu"},{"type":"maxpool2d","kernel":2},{"type":"flatten"},{"type":"dense","units":8}]},
             "optimizer":{"type":"sgd","learningRate":0.1},"batchSize":32,"epochs":1,"seed":2,"gradientCheck":true}
            """);
        var run = await client.WaitAsync((await client.SubmitAsync(spec.RootElement)).Id, timeoutSeconds: 120);
        Assert.Equal("succeeded", run.Status);
        var check = run.Summary!.GradientCheck!;
        Assert.Equal(3, check.LayerMaxRelativeError.Length); // conv2d, dense, output: as the per-layer gradient norms
        Assert.True(check.MaxRelativeError < 1e-3, string.Join(", ", check.LayerMaxRelativeError));
        Assert.True(check.LossEvaluations > 0);

        using var dropout = JsonDocument.Parse(spec.RootElement.GetRawText().Replace("""{"type":"flatten"}""", """{"type":"flatten"},{"type":"dropout","rate":0.3}"""));
        var refused = await (await client.PostAsJsonAsync("/api/runs", dropout.RootElement)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("model.layers[4] is dropout at rate 0.3", Assert.Single(refused.Errors["gradientCheck"]));
    }
}
