using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TrainingService.Api.Runs;

namespace TrainingService.Api.Tests;

/// <summary>Loss landscapes and decision boundaries: cost limits, the cache, the rate limit, diverged runs.</summary>
public sealed class GridLimitTests
{
    private static object Line(int samples = 80, double learningRate = 0.1, int epochs = 3) => new
    {
        dataset = new { name = "linear", samples }, model = new { hidden = Array.Empty<int>() }, loss = "mse",
        optimizer = new { type = "sgd", learningRate }, batchSize = 0, epochs, seed = 2,
    };

    [Fact]
    public async Task TheLandscapeOfADivergedRunAnswersItsFinitePartWithNullsForTheRest()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        // The step overshoots by a growing factor each time: w and b reach ±Infinity and then NaN.
        var run = await client.WaitAsync((await client.SubmitAsync(Line(learningRate: 1000, epochs: 500))).Id,
            r => r.Status is not ("queued" or "running"));
        Assert.True(run.Status == "diverged", $"{run.Status}: {run.Error}");

        var response = await client.GetAsync($"/api/runs/{run.Id}/landscape?resolution=9");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        var grid = json.RootElement.GetProperty("grid");
        foreach (string bound in new[] { "wMin", "wMax", "bMin", "bMax" })
            Assert.True(double.IsFinite(grid.GetProperty(bound).GetDouble()), $"{bound} is {grid.GetProperty(bound)}");
        var loss = grid.GetProperty("loss").EnumerateArray().ToList();
        Assert.Equal(81, loss.Count);
        Assert.All(loss, v => Assert.True(v.ValueKind == JsonValueKind.Null || double.IsFinite(v.GetDouble()), $"cell {v}"));
        Assert.Contains(loss, v => v.ValueKind == JsonValueKind.Number);
        // The path: its finite points only, every one inside the grid.
        var path = json.RootElement.GetProperty("trajectory").EnumerateArray().ToList();
        Assert.NotEmpty(path);
        Assert.True(path.Count < run.Summary!.Steps, "the non-finite points are left out");
        Assert.All(path, p => Assert.All(p.EnumerateArray(), v => Assert.Equal(JsonValueKind.Number, v.ValueKind)));

        // Bounds beyond float range, where the weights themselves overflow: those cells are null, the request still 200.
        var far = await client.GetAsync($"/api/runs/{run.Id}/landscape?resolution=3&wMin=-1e300&wMax=1e300&bMin=-1e300&bMax=1e300&trajectory=false");
        Assert.Equal(HttpStatusCode.OK, far.StatusCode);
        using var farJson = JsonDocument.Parse(await far.Content.ReadAsStringAsync());
        Assert.Contains(farJson.RootElement.GetProperty("grid").GetProperty("loss").EnumerateArray(), v => v.ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task AGridOverTheCostLimitIsRefusedNamingResolutionAndTheLargestThatFits()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:MaxGridCost"] = "1000000" });
        var client = factory.CreateClient();
        // 10,000 samples: 7,000 training rows × 2 parameters = 14,000 per grid point; 10⁶ allows 71 points, resolution 8.
        var line = await client.WaitAsync((await client.SubmitAsync(Line(samples: 10_000, epochs: 1))).Id);
        var over = await (await client.GetAsync($"/api/runs/{line.Id}/landscape?resolution=9")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("at most 8", over.Errors["resolution"][0]);
        Assert.Contains("Training__MaxGridCost", over.Errors["resolution"][0]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/runs/{line.Id}/landscape?resolution=8")).StatusCode);

        // A boundary evaluates one row per point: 2 → 16 → 64 → 2 is 1,266 parameters, so 10⁶ allows 789 points, resolution 28.
        var moons = await client.WaitAsync((await client.SubmitAsync(new
        {
            dataset = new { name = "moons", samples = 100 }, model = new { hidden = new[] { 16, 64 } }, epochs = 1, seed = 1,
        })).Id);
        var wide = await (await client.GetAsync($"/api/runs/{moons.Id}/boundary?resolution=29")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("at most 28", wide.Errors["resolution"][0]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/runs/{moons.Id}/boundary?resolution=28")).StatusCode);
    }

    [Fact]
    public async Task AFinishedRunsGridIsComputedOnceAndServedFromTheCacheARunningOnesNever()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var cache = factory.Services.GetRequiredService<RunViewCache>();
        var run = await client.WaitAsync((await client.SubmitAsync(Line())).Id);
        string first = await client.GetStringAsync($"/api/runs/{run.Id}/landscape?resolution=11");
        Assert.Equal(1, cache.Count);
        Assert.Equal(first, await client.GetStringAsync($"/api/runs/{run.Id}/landscape?resolution=11"));
        Assert.Equal(1, cache.Count);
        Assert.NotEqual(first, await client.GetStringAsync($"/api/runs/{run.Id}/landscape?resolution=12"));
        Assert.Equal(2, cache.Count);

        // A running run's path and checkpoint still move: computed every time, never kept.
        var moving = await client.SubmitAsync(new
        {
            dataset = new { name = "linear", samples = 80 }, model = new { hidden = Array.Empty<int>() }, loss = "mse",
            optimizer = new { type = "sgd", learningRate = 0.01 }, batchSize = 1, epochs = 20_000, seed = 2,
        });
        await client.WaitAsync(moving.Id, r => r.Status == "running" && r.Progress.Step > 0);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/runs/{moving.Id}/landscape?resolution=11")).StatusCode);
        Assert.Equal(2, cache.Count);
        (await client.PostAsync($"/api/runs/{moving.Id}/cancel", null)).EnsureSuccessStatusCode();
        Assert.Equal("cancelled", (await client.WaitAsync(moving.Id)).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/runs/{run.Id}")).StatusCode);
        await (await client.GetAsync($"/api/runs/{run.Id}/landscape?resolution=11")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ExpensiveReadsAreRateLimitedPerClientWithRetryAfter()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:ReadRateLimitPermits"] = "3" });
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(Line())).Id);
        for (int i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/runs/{run.Id}/landscape?resolution=5")).StatusCode);
        var limited = await client.GetAsync($"/api/runs/{run.Id}/boundary");
        var problem = await limited.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Contains("expensive reads", problem.Detail);
        await (await client.GetAsync($"/api/runs/{run.Id}/metrics.csv")).ProblemAsync(HttpStatusCode.TooManyRequests);
        // Cheap reads are not counted.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/runs/{run.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/runs/{run.Id}/metrics")).StatusCode);
    }
}
