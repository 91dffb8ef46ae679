using System.Net;
using System.Net.Http.Json;
using TrainingService.Api.Runs;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Tests;

/// <summary><c>GET /api/runs/{id}/diagnostics</c>: the stored model on the run's own test split.</summary>
public sealed class DiagnosticsTests
{
    [Fact]
    public async Task TheMatrixCountsTheTestSplitAndItsDiagonalIsTheTestAccuracy()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        // Half-trained on purpose: a spiral after one epoch gets many test points wrong.
        var run = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec(epochs: 1))).Id);
        var d = (await client.GetFromJsonAsync<DiagnosticsDto>($"/api/runs/{run.Id}/diagnostics?examples=5", Api.Json))!;

        int classes = d.ClassNames.Length;
        Assert.Equal(3, classes);
        Assert.All(d.Matrix, row => Assert.Equal(classes, row.Length));
        Assert.Equal(d.TestCount, d.Matrix.Sum(row => row.Sum()));
        Assert.Equal(TrainingSession.Create(run.Spec, factory.DataDirectory).Test.Count, d.TestCount); // the run's own split
        long diagonal = Enumerable.Range(0, classes).Sum(c => d.Matrix[c][c]);
        Assert.Equal(run.Summary!.TestAccuracy!.Value * d.TestCount, diagonal, 6);
        Assert.True(diagonal < d.TestCount, "a one-epoch spiral should get some test points wrong");

        // The wrong ones, most confident first, as many as asked for (or as there are).
        long wrong = d.TestCount - diagonal;
        Assert.Equal(Math.Min(5, wrong), d.MostConfidentlyWrong.Count);
        Assert.Null(d.Shape);
        Assert.All(d.MostConfidentlyWrong, w =>
        {
            Assert.NotEqual(w.Label, w.Predicted);
            Assert.Equal(d.ClassNames[w.Predicted], w.PredictedName);
            Assert.Equal(w.Output.Max(), w.Confidence);
            Assert.Equal(2, w.Features.Length);
        });
        var confidences = d.MostConfidentlyWrong.Select(w => w.Confidence).ToList();
        Assert.Equal(confidences.OrderDescending(), confidences);

        // Each is wrong by the model itself: predicting its raw features gives the same wrong class.
        var predicted = await client.PostAsJsonAsync($"/api/runs/{run.Id}/predict", new { rows = d.MostConfidentlyWrong.Select(w => w.Features) }, Api.Json);
        var answer = (await predicted.Content.ReadFromJsonAsync<PredictResponse>(Api.Json))!;
        Assert.Equal(d.MostConfidentlyWrong.Select(w => w.Predicted), answer.Predictions.Select(p => p.Class!.Value));

        // The most confident wrong example is the most confident of all of them: asking for every one agrees.
        var all = (await client.GetFromJsonAsync<DiagnosticsDto>($"/api/runs/{run.Id}/diagnostics?examples=64", Api.Json))!;
        Assert.Equal(Math.Min(64, wrong), all.MostConfidentlyWrong.Count);
        Assert.Equal(d.MostConfidentlyWrong.Select(w => w.Row), all.MostConfidentlyWrong.Take(5).Select(w => w.Row));
    }

    [Fact]
    public async Task ImageSetsAnswerTheSampleShapeAndPixels()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(new
        {
            dataset = new { name = "digits" }, model = new { hidden = new[] { 8 } },
            optimizer = new { type = "sgd", learningRate = 0.01 }, batchSize = 64, epochs = 1, seed = 2,
        })).Id);
        Assert.Equal("succeeded", run.Status);
        var d = (await client.GetFromJsonAsync<DiagnosticsDto>($"/api/runs/{run.Id}/diagnostics", Api.Json))!;

        Assert.Equal([1, 8, 8], d.Shape!);
        Assert.Null(d.FeatureNames);
        Assert.Equal(10, d.ClassNames.Length);
        Assert.Equal(d.TestCount, d.Matrix.Sum(row => row.Sum()));
        Assert.Equal(run.Summary!.TestAccuracy!.Value * d.TestCount, Enumerable.Range(0, 10).Sum(c => d.Matrix[c][c]), 6);
        Assert.Equal(RunDiagnosticsApi.DefaultExamples, d.MostConfidentlyWrong.Count);
        // Pixels as the dataset holds them (standardisation undone): the digits' 0..1 scale.
        Assert.All(d.MostConfidentlyWrong, w =>
        {
            Assert.Equal(64, w.Features.Length);
            Assert.All(w.Features, v => Assert.InRange(v, -1e-3f, 1 + 1e-3f));
        });
    }

    [Fact]
    public async Task RefusedForUnknownUnfinishedAndRegressionRunsAndBadQueries()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        await (await client.GetAsync("/api/runs/999/diagnostics")).ProblemAsync(HttpStatusCode.NotFound);

        var line = await client.WaitAsync((await client.SubmitAsync(new { dataset = new { name = "linear" }, model = new { hidden = Array.Empty<int>() }, epochs = 1 })).Id);
        Assert.Contains("regression", (await (await client.GetAsync($"/api/runs/{line.Id}/diagnostics")).ProblemAsync(HttpStatusCode.Conflict)).Detail);

        var spiral = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec(epochs: 1))).Id);
        var problem = await (await client.GetAsync($"/api/runs/{spiral.Id}/diagnostics?examples=65")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("examples", problem.Errors.Keys);
        Assert.Contains("examples", (await (await client.GetAsync($"/api/runs/{spiral.Id}/diagnostics?examples=x")).ProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task AQueuedRunHasNoDiagnosticsYet()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(Api.SmallSpec());
        Assert.Contains("queued", (await (await client.GetAsync($"/api/runs/{run.Id}/diagnostics")).ProblemAsync(HttpStatusCode.Conflict)).Detail);
    }
}
