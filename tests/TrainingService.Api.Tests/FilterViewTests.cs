using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrainingService.Api.Runs;

namespace TrainingService.Api.Tests;

/// <summary><c>GET /api/runs/{id}/filters</c>: the first conv2d layer's weights at the stored checkpoint, equal to the
/// model file's, bounded to <see cref="RunFiltersApi.MaxFilters"/> filters; 409 for a perceptron.</summary>
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

        var filters = await client.GetFromJsonAsync<FiltersDto>($"/api/runs/{run.Id}/filters", Api.Json);
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
        var wide = await client.SubmitAsync(ConvSpec(RunFiltersApi.MaxFilters + 6));
        var mlp = await client.SubmitAsync(Api.SmallSpec(epochs: 1));
        Assert.Equal("succeeded", (await client.WaitAsync(wide.Id, timeoutSeconds: 120)).Status);
        Assert.Equal("succeeded", (await client.WaitAsync(mlp.Id)).Status);

        var filters = await client.GetFromJsonAsync<FiltersDto>($"/api/runs/{wide.Id}/filters", Api.Json);
        Assert.Equal(RunFiltersApi.MaxFilters + 6, filters!.Filters);
        Assert.Equal(RunFiltersApi.MaxFilters, filters.Weights.Length);

        var none = await (await client.GetAsync($"/api/runs/{mlp.Id}/filters")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("no conv2d layer", none.Detail);
        await (await client.GetAsync("/api/runs/99999/filters")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
