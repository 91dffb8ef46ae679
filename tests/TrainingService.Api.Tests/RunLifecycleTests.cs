using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using TrainingService.Api.Contracts;

namespace TrainingService.Api.Tests;

public sealed class RunLifecycleTests
{
    [Fact]
    public async Task SubmittedRunIsTrainedToSucceededWithOneStepMetricPerStepAndFallingLoss()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/runs", Api.SmallSpec(epochs: 15, tags: ["demo"]), Api.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<RunDto>(Api.Json))!;
        Assert.Equal($"/api/runs/{created.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal("queued", created.Status);
        Assert.Equal(1, created.Spec.Seed);
        Assert.Equal("relu", created.Spec.Model!.Activation); // defaults filled in
        Assert.Equal(["demo"], created.Tags);

        var run = await client.WaitAsync(created.Id);
        Assert.Equal("succeeded", run.Status);
        Assert.NotNull(run.StartedAt);
        Assert.NotNull(run.FinishedAt);
        Assert.Equal(run.Progress.TotalSteps, run.Progress.Step);
        Assert.Equal(run.Progress.TotalSteps, run.Summary!.Steps);
        Assert.NotNull(run.Summary.TestAccuracy);

        var metrics = await client.GetMetricsAsync(run.Id);
        Assert.Equal(run.Progress.TotalSteps, metrics.Steps.Count);
        Assert.Equal(Enumerable.Range(1, metrics.Steps.Count).Select(i => (long)i), metrics.Steps.Select(s => s.Step));
        Assert.Equal(15, metrics.Epochs.Count);
        Assert.All(metrics.Steps, s => Assert.Equal(2, s.LayerGradNorms.Length));
        Assert.True(metrics.Epochs[^1].TrainLoss < metrics.Epochs[0].TrainLoss * 0.9,
            $"loss did not fall: {metrics.Epochs[0].TrainLoss} → {metrics.Epochs[^1].TrainLoss}");
        Assert.Equal(metrics.Epochs[^1].TrainLoss, run.Summary.TrainLoss);
    }

    [Fact]
    public async Task CancelStopsARunningJobWithinOneStep()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(Api.SlowSpec());
        await client.WaitAsync(run.Id, r => r.Status == "running" && r.Progress.Step > 0);

        var clock = Stopwatch.StartNew();
        var response = await client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", (await response.Content.ReadFromJsonAsync<RunDto>(Api.Json))!.Status);

        var cancelled = await client.WaitAsync(run.Id);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed} to stop");
        Assert.Equal("cancelled", cancelled.Status);
        Assert.NotNull(cancelled.FinishedAt);
        Assert.True(cancelled.Summary!.Steps < cancelled.Progress.TotalSteps);
        // Every step the engine took is stored, and none after it stopped.
        var metrics = await client.GetMetricsAsync(run.Id);
        Assert.Equal(cancelled.Summary.Steps, metrics.Steps.Count);
        await Task.Delay(300);
        Assert.Equal(metrics.Steps.Count, (await client.GetMetricsAsync(run.Id)).Steps.Count);

        var again = await client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        await again.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CancelledQueuedRunIsNeverTrained()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(Api.SmallSpec());
        var response = await client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        Assert.Equal("cancelled", (await response.Content.ReadFromJsonAsync<RunDto>(Api.Json))!.Status);
        Assert.Empty((await client.GetMetricsAsync(run.Id)).Steps);
    }

    [Fact]
    public async Task DeleteRemovesARunAndItsMetrics()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec())).Id);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/runs/{run.Id}")).StatusCode);
        await (await client.GetAsync($"/api/runs/{run.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/runs/{run.Id}/metrics")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"/api/runs/{run.Id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeletingARunningRunCancelsItFirst()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(Api.SlowSpec());
        await client.WaitAsync(run.Id, r => r.Status == "running" && r.Progress.Step > 0);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/runs/{run.Id}")).StatusCode);
        await (await client.GetAsync($"/api/runs/{run.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        // The worker is free again: a new run is trained.
        var next = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec())).Id);
        Assert.Equal("succeeded", next.Status);
    }
}
