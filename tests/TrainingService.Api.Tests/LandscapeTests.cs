using System.Net;
using System.Net.Http.Json;
using TrainingService.Api.Runs;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Tests;

public sealed class LandscapeTests
{
    private static readonly object Line = new
    {
        dataset = new { name = "linear", samples = 80 }, model = new { hidden = Array.Empty<int>() }, loss = "mse",
        optimizer = new { type = "sgd", learningRate = 0.1 }, batchSize = 16, epochs = 3, seed = 2,
    };

    [Fact]
    public async Task LandscapeValuesEqualTheLossComputedDirectlyAndTheTrajectoryEqualsTheStoredPoints()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(Line)).Id);
        var land = (await client.GetFromJsonAsync<LandscapeDto>($"/api/runs/{run.Id}/landscape?resolution=7", Api.Json))!;
        var steps = (await client.GetMetricsAsync(run.Id)).Steps;

        Assert.Equal(steps.Select(s => s.Point!), land.Trajectory);
        var g = land.Grid;
        Assert.Equal(49, g.Loss.Length);
        Assert.All(land.Trajectory.Prepend(land.Start), p => Assert.True(p[0] > g.WMin && p[0] < g.WMax && p[1] > g.BMin && p[1] < g.BMax));

        // The same loss, computed here from the stored spec at every grid point.
        var session = TrainingSession.Create(run.Spec, factory.DataDirectory);
        Assert.Equal(session.Network.GetFlatParameters(), land.Start);
        var evaluator = new Evaluator(session.Network, session.Loss);
        for (int j = 0; j < 7; j++)
            for (int i = 0; i < 7; i++)
            {
                session.Network.SetFlatParameters([(float)(g.WMin + (g.WMax - g.WMin) * i / 6), (float)(g.BMin + (g.BMax - g.BMin) * j / 6)]);
                Assert.Equal(evaluator.Evaluate(session.Train).Loss!.Value, g.Loss[j * 7 + i]!.Value, 12);
            }

        // Fixed bounds, for overlaying several runs on one surface.
        var fixedBounds = (await client.GetFromJsonAsync<LandscapeDto>($"/api/runs/{run.Id}/landscape?resolution=3&wMin=-1&wMax=3&bMin=-2&bMax=2", Api.Json))!;
        Assert.Equal((-1.0, 3.0, -2.0, 2.0, 3), (fixedBounds.Grid.WMin, fixedBounds.Grid.WMax, fixedBounds.Grid.BMin, fixedBounds.Grid.BMax, fixedBounds.Grid.Resolution));
        Assert.NotEmpty(fixedBounds.Trajectory);

        // trajectory=false: the same grid and start without the path (the dashboard holds the path already).
        var noPath = (await client.GetFromJsonAsync<LandscapeDto>($"/api/runs/{run.Id}/landscape?resolution=3&wMin=-1&wMax=3&bMin=-2&bMax=2&trajectory=false", Api.Json))!;
        Assert.Empty(noPath.Trajectory);
        Assert.Equal(fixedBounds.Start, noPath.Start);
        Assert.Equal(fixedBounds.Grid.Loss, noPath.Grid.Loss);
        Assert.Equal(g.Loss[0], (await client.GetFromJsonAsync<LandscapeDto>(
            $"/api/runs/{run.Id}/landscape?resolution=7&wMin={g.WMin:R}&wMax={g.WMax:R}&bMin={g.BMin:R}&bMax={g.BMax:R}", Api.Json))!.Grid.Loss[0]);
    }

    [Fact]
    public async Task LandscapeIsRefusedForModelsWithoutExactlyTwoParametersAndForBadQueries()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var big = await client.SubmitAsync(Api.SmallSpec(epochs: 1));
        var line = await client.SubmitAsync(Line);
        var conflict = await (await client.GetAsync($"/api/runs/{big.Id}/landscape")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("exactly 2 parameters", conflict.Detail);
        var bad = await (await client.GetAsync($"/api/runs/{line.Id}/landscape?resolution=1&wMin=1")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("resolution", bad.Errors.Keys);
        Assert.Contains("wMin", bad.Errors.Keys);
        var inverted = await (await client.GetAsync($"/api/runs/{line.Id}/landscape?wMin=1&wMax=0&bMin=0&bMax=1")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("wMax", inverted.Errors.Keys);
        var notBool = await (await client.GetAsync($"/api/runs/{line.Id}/landscape?trajectory=maybe")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("true or false", notBool.Errors["trajectory"][0]);
        await (await client.GetAsync("/api/runs/999/landscape")).ProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class SurfaceLandscapeTests
{
    [Fact]
    public async Task ARaceOnRosenbrocksSurfaceHasOneStartAndTheGridIsTheFunction()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var created = await client.PostAsJsonAsync("/api/races", new
        {
            @base = new { dataset = new { name = "rosenbrock" }, model = new { hidden = Array.Empty<int>() }, epochs = 50, seed = 2 },
            variants = new object[] { new { optimizer = new { type = "adam", learningRate = 0.05 } }, new { optimizer = new { type = "hill_climbing" } } },
        }, Api.Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var race = (await created.Content.ReadFromJsonAsync<TrainingService.Api.Races.RaceDto>(Api.Json))!;
        var lands = new List<LandscapeDto>();
        foreach (var r in race.Runs)
        {
            Assert.Equal("succeeded", (await client.WaitAsync(r.Id)).Status);
            lands.Add((await client.GetFromJsonAsync<LandscapeDto>($"/api/runs/{r.Id}/landscape?resolution=5&wMin=-2&wMax=2&bMin=-1&bMax=3", Api.Json))!);
        }
        Assert.Equal(lands[0].Start, lands[1].Start);
        Assert.All(lands, l => Assert.Equal(50, l.Trajectory.Count));
        var f = TrainingService.Engine.TestFunctions.Surfaces.Find("rosenbrock")!;
        Assert.Equal(f.Value((float)-2.0, (float)-1.0), lands[0].Grid.Loss[0]!.Value, 12);
        Assert.Equal(f.Value((float)1.0, (float)1.0), lands[0].Grid.Loss[2 * 5 + 3]!.Value, 12);
        Assert.Equal(lands[0].Grid.Loss, lands[1].Grid.Loss);
    }
}
