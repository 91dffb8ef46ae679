using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using TrainingService.Api.Contracts;

namespace TrainingService.Api.Tests;

/// <summary><c>GET /api/runs/{id}/filters</c>: the first conv2d layer's weights at the stored checkpoint, equal to the
/// model file's, bounded to <see cref="FiltersPoint.MaxFilters"/> filters; 409 for a perceptron. The hub's <c>filters</c>:
/// one per epoch end, the last equal to the REST read (and the live steps' per-layer norms, one per layer with weights).</summary>
public sealed class FilterViewTests
{
    private static JsonElement ConvSpec(int filters) => JsonDocument.Parse($$"""
        {"dataset":{"name":"digits"},
         "model":{"layers":[{"type":"maxpool2d","kernel":1},{"type":"conv2d","filters":{{filters}},"kernel":3,"padding":1},{"type":"relu"},{"type":"maxpool2d","kernel":2},{"type":"flatten"},{"type":"dense","units":8},{"type":"relu"}]},
         "optimizer":{"type":"adam","learningRate":0.01},"batchSize":64,"epochs":2,"seed":3}
        """).RootElement;

    [Fact]
    public async Task TheFirstConvLayersFiltersAreTheStoredModelsWeights()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(ConvSpec(5))).Id, timeoutSeconds: 120);
        Assert.Equal("succeeded", run.Status);

        var filters = await client.GetFromJsonAsync<FiltersPoint>($"/api/runs/{run.Id}/filters", Api.Json);
        Assert.NotNull(filters);
        Assert.Equal((2, 1, 5, 1, 3, 3), (filters.Epoch, filters.Layer, filters.Filters, filters.Channels, filters.KernelHeight, filters.KernelWidth));
        Assert.Equal(5, filters.Weights.Length);
        Assert.All(filters.Weights, f => Assert.Equal(9, Assert.Single(f).Length));

        using var model = JsonDocument.Parse(await client.GetStringAsync($"/api/runs/{run.Id}/model"));
        float[] stored = model.RootElement.GetProperty("layers")[0].GetProperty("weight").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(stored, filters.Weights.SelectMany(f => f[0]).ToArray());
        Assert.Equal(stored.Min(), filters.Min);
        Assert.Equal(stored.Max(), filters.Max);
    }

    [Fact]
    public async Task ManyFiltersAreBoundedAndAPerceptronHasNone()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var wide = await client.SubmitAsync(ConvSpec(FiltersPoint.MaxFilters + 6));
        var mlp = await client.SubmitAsync(Api.SmallSpec(epochs: 1));
        Assert.Equal("succeeded", (await client.WaitAsync(wide.Id, timeoutSeconds: 120)).Status);
        Assert.Equal("succeeded", (await client.WaitAsync(mlp.Id)).Status);

        var filters = await client.GetFromJsonAsync<FiltersPoint>($"/api/runs/{wide.Id}/filters", Api.Json);
        Assert.Equal(FiltersPoint.MaxFilters + 6, filters!.Filters);
        Assert.Equal(FiltersPoint.MaxFilters, filters.Weights.Length);

        var none = await (await client.GetAsync($"/api/runs/{mlp.Id}/filters")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("no conv2d layer", none.Detail);
        await (await client.GetAsync("/api/runs/99999/filters")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AConvRunPushesItsFiltersAtEveryEpochEndAndTheLastIsTheStoredView()
    {
        // Checkpoints far apart: the stored view lags, the live one does not.
        await using var factory = new ServiceFactory(settings: new() { ["Training:CheckpointIntervalMs"] = "600000" });
        var client = factory.CreateClient();
        await using var hub = await factory.ConnectHubAsync();
        var pushed = new List<FiltersPoint>();
        var epochs = new List<int>();
        var norms = new List<int>();
        var succeeded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long, FiltersPoint>("filters", (_, f) => { lock (pushed) pushed.Add(f); });
        hub.On<long, EpochPoint>("epoch", (_, e) => { lock (epochs) epochs.Add(e.Epoch); });
        hub.On<long, StepPoint[]>("steps", (_, points) => { lock (norms) norms.AddRange(points.Select(p => p.LayerGradNorms.Length)); });
        hub.On<long, RunDto>("status", (_, run) => { if (run.Status == "succeeded") succeeded.TrySetResult(); });
        await hub.InvokeAsync("Subscribe", 1L);

        using var spec = JsonDocument.Parse(ConvSpec(5).GetRawText().Replace("\"epochs\":2", "\"epochs\":4"));
        var run = await client.SubmitAsync(spec.RootElement);
        Assert.Equal(1, run.Id);
        await succeeded.Task.Within(120);

        Assert.Equal([1, 2, 3, 4], pushed.Select(f => f.Epoch));
        Assert.Equal([1, 2, 3, 4], epochs);
        Assert.NotEmpty(norms);
        Assert.All(norms, n => Assert.Equal(3, n)); // live steps carry one norm per layer with weights: conv2d, dense, output
        Assert.All(pushed, f =>
        {
            Assert.Equal((1, 5, 1, 3, 3), (f.Layer, f.Filters, f.Channels, f.KernelHeight, f.KernelWidth));
            Assert.Equal(5, f.Weights.Length);
            Assert.All(f.Weights, w => Assert.Equal(9, Assert.Single(w).Length));
        });
        Assert.NotEqual(pushed[0].Weights[0][0], pushed[^1].Weights[0][0]); // the filters train

        var stored = (await client.GetFromJsonAsync<FiltersPoint>($"/api/runs/{run.Id}/filters", Api.Json))!;
        Assert.Equal(JsonSerializer.Serialize(stored, Api.Json), JsonSerializer.Serialize(pushed[^1], Api.Json));
    }

    [Fact]
    public async Task APerceptronPushesNoFilters()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        await using var hub = await factory.ConnectHubAsync();
        var pushed = 0;
        var succeeded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long, FiltersPoint>("filters", (_, _) => Interlocked.Increment(ref pushed));
        hub.On<long, RunDto>("status", (_, run) => { if (run.Status == "succeeded") succeeded.TrySetResult(); });
        await hub.InvokeAsync("Subscribe", 1L);
        await client.SubmitAsync(Api.SmallSpec(epochs: 3));
        await succeeded.Task.Within();
        Assert.Equal(0, pushed);
    }

    [Fact]
    public async Task AConnectionThatSubscribesGetsTheRunsNewestFiltersAtOnceUntilTheRunEnds()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        // Through the service's own LiveUpdates and hub (what the pump calls at each epoch end), for a run id no run has.
        var live = factory.Services.GetRequiredService<Live.LiveUpdates>();
        FiltersPoint Point(int epoch) => new(epoch, 0, 1, 1, 1, 2, -epoch, epoch, [[[-epoch, epoch]]]);
        await live.FiltersAsync(42, Point(1));
        await live.FiltersAsync(42, Point(2));

        async Task<List<FiltersPoint>> JoinAsync(long runId)
        {
            await using var hub = await factory.ConnectHubAsync();
            var got = new List<FiltersPoint>();
            hub.On<long, FiltersPoint>("filters", (id, f) => { if (id == runId) lock (got) got.Add(f); });
            await hub.InvokeAsync("Subscribe", runId);
            await Task.Delay(500); // what is sent at joining arrives within this; nothing else is pushed meanwhile
            lock (got) return [.. got];
        }

        var joined = await JoinAsync(42);
        Assert.Equal(2, Assert.Single(joined).Epoch); // the newest only, at once (REST would read the last checkpoint)
        Assert.Equal([-2f, 2f], joined[0].Weights[0][0]);

        // A run that ended is forgotten: its stored view is the final one.
        var run = await client.WaitAsync((await client.SubmitAsync(ConvSpec(5))).Id, timeoutSeconds: 120);
        Assert.Equal("succeeded", run.Status);
        Assert.Empty(await JoinAsync(run.Id));
        Assert.NotEmpty(await JoinAsync(42)); // others are kept
    }
}
