using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using TrainingService.Api.Contracts;
using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Tests;

/// <summary>The regression view of 1-feature regression runs: over REST from the stored model, and pushed live as
/// <c>regression</c>; checked against the run's own predictions (<c>POST …/predict</c>) and its loss.</summary>
public sealed class RegressionViewTests
{
    private static object Line(int epochs, int samples = 100) => new
    {
        dataset = new { name = "linear", samples }, model = new { hidden = Array.Empty<int>() },
        optimizer = new { type = "sgd", learningRate = 0.1 }, batchSize = 10, epochs, seed = 5,
    };

    private static async Task<float[]> PredictAsync(HttpClient client, long id, float[] x)
    {
        var response = await client.PostAsJsonAsync($"/api/runs/{id}/predict", new { rows = x.Select(v => new[] { v }) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions");
        return predictions.EnumerateArray().Select(p => p.GetProperty("output")[0].GetSingle()).ToArray();
    }

    /// <summary>mean((y − (w·x + b))²) in double: the mse of the line through the points.</summary>
    private static double LineMse(float[] x, float[] y, double w, double b) =>
        x.Select((xi, i) => Math.Pow(y[i] - (w * xi + b), 2)).Average();

    /// <summary>Float forward passes against double arithmetic: within <paramref name="tolerance"/>, relative once above 1.</summary>
    private static void Close(double expected, double actual, double tolerance = 1e-5) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"{actual} is not {expected}");

    [Fact]
    public async Task ALinesViewIsItsModelsCurveResidualsAndLossAlongTheSlope()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(Line(epochs: 3))).Id);
        Assert.Equal("succeeded", run.Status);
        var view = (await client.GetFromJsonAsync<RegressionPoint>($"/api/runs/{run.Id}/regression", Api.Json))!;
        var fit = view.Fit;

        Assert.Equal(3, view.Epoch);
        Assert.Equal(RegressionView.CurveSamples, fit.CurveX.Length);
        Assert.Equal(fit.CurveX.Order(), fit.CurveX);
        // 100 samples split 70/15/15: every training point is shown, in the split's order.
        var session = TrainingSession.Create(run.Spec, factory.DataDirectory);
        Assert.Equal(70, fit.X.Length);
        Assert.Equal(session.Train.X, fit.X);
        Assert.Equal(session.Train.Targets, fit.Y);
        Assert.True(fit.CurveX[0] < fit.X.Min() && fit.CurveX[^1] > fit.X.Max());

        // The curve and the predictions are the trained model's, as the run itself predicts them.
        Assert.Equal(await PredictAsync(client, run.Id, fit.CurveX), fit.CurveY);
        Assert.Equal(await PredictAsync(client, run.Id, fit.X), fit.Prediction);
        Assert.Equal(fit.Y.Select((y, i) => y - fit.Prediction[i]), fit.Residual);
        // The bar: the run's loss (mse) on those points, which here are the whole training split.
        Close(fit.Residual.Average(r => (double)r * r), fit.Loss!.Value);
        var model = ModelFile.FromJson(await client.GetStringAsync($"/api/runs/{run.Id}/model"));
        Close(new Evaluator(model.BuildNetwork(), session.Loss).Evaluate(session.Train).Loss!.Value, fit.Loss.Value);

        // The slice: the loss of the line (w, current b) at each w, and at the current w the loss above.
        var slope = fit.Slope!;
        Assert.Equal([model.Layers[0].Weight[0], model.Layers[0].Bias[0]], new[] { slope.W, slope.B });
        Assert.Equal(RegressionView.SlopeSamples, slope.Loss.Length);
        Assert.True(slope.WMin < slope.W && slope.W < slope.WMax);
        for (int i = 0; i < slope.Loss.Length; i++)
        {
            double w = slope.WMin + (slope.WMax - slope.WMin) * i / (slope.Loss.Length - 1);
            Close(LineMse(fit.X, fit.Y, w, slope.B), slope.Loss[i]);
        }
        Close(LineMse(fit.X, fit.Y, slope.W, slope.B), fit.Loss.Value);
        // Read off the slice alone: the parabola through the three samples nearest w passes through (w, loss).
        double step = (slope.WMax - slope.WMin) / (slope.Loss.Length - 1);
        int k = Math.Clamp((int)Math.Round((slope.W - slope.WMin) / step), 1, slope.Loss.Length - 2);
        double t = (slope.W - (slope.WMin + k * step)) / step;
        double atW = slope.Loss[k] + t * (slope.Loss[k + 1] - slope.Loss[k - 1]) / 2 + t * t * (slope.Loss[k + 1] - 2 * slope.Loss[k] + slope.Loss[k - 1]) / 2;
        Close(fit.Loss.Value, atW, 1e-4);
    }

    [Fact]
    public async Task ACurveThroughManyPointsShowsABoundedEvenlySpacedSampleAndNoSlope()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(new
        {
            dataset = new { name = "sine", samples = 1000 }, model = new { hidden = new[] { 8 } }, epochs = 2, seed = 3,
        })).Id);
        var fit = (await client.GetFromJsonAsync<RegressionPoint>($"/api/runs/{run.Id}/regression", Api.Json))!.Fit;

        var session = TrainingSession.Create(run.Spec, factory.DataDirectory);
        Assert.Equal(700, session.Train.Count);
        Assert.Equal(RegressionView.MaxPoints, fit.X.Length);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => session.Train.X[i * 700 / 200]), fit.X);
        Assert.Equal(RegressionView.CurveSamples, fit.CurveY.Length);
        Assert.Equal(await PredictAsync(client, run.Id, fit.CurveX), fit.CurveY);
        Assert.Equal(fit.Y.Select((y, i) => y - fit.Prediction[i]), fit.Residual);
        Assert.Null(fit.Slope); // a hidden layer: more than a slope and an intercept
    }

    [Fact]
    public async Task TheViewIsPushedLiveUpToTheLastEpochAndMatchesTheStoredOne()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        await using var hub = await factory.ConnectHubAsync();
        var views = new List<RegressionPoint>();
        var boundaries = 0;
        var succeeded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long, RegressionPoint>("regression", (_, v) => views.Add(v));
        hub.On<long, BoundaryPoint>("boundary", (_, _) => boundaries++);
        hub.On<long, RunDto>("status", (_, run) => { if (run.Status == "succeeded") succeeded.TrySetResult(); });
        await hub.InvokeAsync("Subscribe", 1L);

        var run = await client.SubmitAsync(Line(epochs: 6));
        await succeeded.Task.Within();
        Assert.NotEmpty(views);
        Assert.Equal(6, views[^1].Epoch);
        Assert.Equal(views.OrderBy(v => v.Epoch), views);
        Assert.All(views, v => Assert.Equal((100, 70, 70, 100), (v.Fit.CurveX.Length, v.Fit.X.Length, v.Fit.Residual.Length, v.Fit.Slope!.Loss.Length)));
        Assert.Equal(0, boundaries);

        // The last one pushed is the one REST rebuilds from the stored model.
        var stored = (await client.GetFromJsonAsync<RegressionPoint>($"/api/runs/{run.Id}/regression", Api.Json))!;
        Assert.Equal(JsonSerializer.Serialize(stored, Api.Json), JsonSerializer.Serialize(views[^1], Api.Json));
    }

    [Fact]
    public async Task ClassifiersAndUnknownRunsHaveNoRegressionView()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        await using var hub = await factory.ConnectHubAsync();
        var views = 0;
        var succeeded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long, RegressionPoint>("regression", (_, _) => views++);
        hub.On<long, RunDto>("status", (_, run) => { if (run.Status == "succeeded") succeeded.TrySetResult(); });
        await hub.InvokeAsync("Subscribe", 1L);

        var moons = await client.SubmitAsync(new { dataset = new { name = "moons", samples = 100 }, epochs = 2, seed = 1 });
        await succeeded.Task.Within();
        Assert.Equal(0, views);
        var problem = await (await client.GetAsync($"/api/runs/{moons.Id}/regression")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("1-feature regression", problem.Detail);
        await (await client.GetAsync("/api/runs/999/regression")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
