using System.Net;
using System.Net.Http.Json;
using TrainingService.Api.Runs;
using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Tests;

public sealed class BoundaryTests
{
    [Fact]
    public async Task BoundaryIsTheLastEpochsGridWithThePointsOfEverySplit()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(new
        {
            dataset = new { name = "moons", samples = 100 }, model = new { hidden = new[] { 8 } },
            optimizer = new { type = "adam", learningRate = 0.05 }, epochs = 3, seed = 4,
        })).Id);
        var b = (await client.GetFromJsonAsync<BoundaryDto>($"/api/runs/{run.Id}/boundary", Api.Json))!;

        Assert.Equal(3, b.Epoch);
        Assert.Equal((40, 2), (b.Grid.Resolution, b.Grid.Classes));
        Assert.Equal(1600, b.Grid.Class.Length);
        Assert.All(b.Grid.Confidence, c => Assert.InRange(c, 0.5f, 1f));
        Assert.Equal((70, 15, 15), (b.Train.Length, b.Validation.Length, b.Test.Length));
        Assert.All(b.Train.Concat(b.Test), p => Assert.True(p[0] > b.Grid.XMin && p[0] < b.Grid.XMax && p[1] > b.Grid.YMin && p[1] < b.Grid.YMax && p[2] is 0 or 1));

        // The same grid from the trained model: the epoch-3 checkpoint is the final model.
        var session = TrainingSession.Create(run.Spec, factory.DataDirectory);
        var model = ModelFile.FromJson(await client.GetStringAsync($"/api/runs/{run.Id}/model"));
        session.Network.SetFlatParameters(model.BuildNetwork().GetFlatParameters());
        var direct = DecisionBoundary.Compute(session.Network, 2, DecisionBoundary.Bounds(session), 40);
        Assert.Equal(direct.Confidence, b.Grid.Confidence);
        Assert.Equal(direct.Class, b.Grid.Class);
        Assert.Equal(session.Train.X[0], b.Train[0][0]);
    }

    [Fact]
    public async Task BoundaryIsRefusedForRegressionAndForMoreThanTwoInputs()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var line = await client.SubmitAsync(new { dataset = new { name = "linear" }, model = new { hidden = Array.Empty<int>() }, epochs = 1 });
        Assert.Contains("2-D classification", (await (await client.GetAsync($"/api/runs/{line.Id}/boundary")).ProblemAsync(HttpStatusCode.Conflict)).Detail);
        await (await client.GetAsync("/api/runs/999/boundary")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
