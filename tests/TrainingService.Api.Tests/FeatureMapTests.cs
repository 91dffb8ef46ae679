using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrainingService.Api.Runs;

namespace TrainingService.Api.Tests;

/// <summary><c>GET /api/runs/{id}/featuremaps?row=</c>: one test row through every built layer, bounded per layer; the
/// maps agree with each other (a 1×1 max pool passes its input through, flatten lays the maps end to end).</summary>
public sealed class FeatureMapTests
{
    [Fact]
    public async Task ATestRowGoesThroughEveryLayerBounded()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        using var spec = JsonDocument.Parse($$"""
            {"dataset":{"name":"digits"},
             "model":{"layers":[{"type":"maxpool2d","kernel":1},{"type":"conv2d","filters":{{RunFeatureMapsApi.MaxMaps + 4}},"kernel":3,"padding":1},{"type":"relu"},{"type":"maxpool2d","kernel":2},{"type":"flatten"},{"type":"dense","units":8},{"type":"relu"}]},
             "optimizer":{"type":"adam","learningRate":0.01},"batchSize":64,"epochs":1,"seed":3}
            """);
        var run = await client.WaitAsync((await client.SubmitAsync(spec.RootElement)).Id, timeoutSeconds: 120);
        Assert.Equal("succeeded", run.Status);

        var maps = await client.GetFromJsonAsync<FeatureMapsDto>($"/api/runs/{run.Id}/featuremaps?row=3", Api.Json);
        Assert.NotNull(maps);
        Assert.Equal((1, 3), (maps.Epoch, maps.Row));
        Assert.InRange(maps.Label!.Value, 0, 9);
        Assert.Equal(["input", "maxpool2d", "conv2d+relu", "maxpool2d", "flatten", "dense+relu", "dense+softmax"], maps.Layers.Select(l => l.Kind));
        Assert.Equal([[1, 8, 8], [1, 8, 8], [20, 8, 8], [20, 4, 4], [320], [8], [10]], maps.Layers.Select(l => l.Shape));
        var (input, pool1, conv, pool2, flat) = (maps.Layers[0], maps.Layers[1], maps.Layers[2], maps.Layers[3], maps.Layers[4]);
        Assert.Equal(input.Maps[0], pool1.Maps[0]);
        Assert.Equal(RunFeatureMapsApi.MaxMaps, conv.Maps.Length);                   // 20 channels, the first 16 sent
        Assert.All(conv.Maps, m => Assert.All(m, v => Assert.True(v >= 0)));      // relu fused
        Assert.Equal(pool2.Maps.SelectMany(m => m).Take(RunFeatureMapsApi.MaxValues), flat.Values); // 320 values, 256 sent
        Assert.Equal(RunFeatureMapsApi.MaxValues, flat.Values.Length);
        Assert.Equal(1.0, maps.Layers[^1].Values.Sum(), 4);                          // the output layer: class probabilities

        var bad = await (await client.GetAsync($"/api/runs/{run.Id}/featuremaps?row={maps.TestRows}")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("row", bad.Errors.Keys);
        var mlp = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec(epochs: 1))).Id);
        await (await client.GetAsync($"/api/runs/{mlp.Id}/featuremaps")).ProblemAsync(HttpStatusCode.Conflict);
    }
}
