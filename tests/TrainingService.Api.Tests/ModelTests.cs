using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TrainingService.Api.Tests;

public sealed class ModelTests
{
    [Fact]
    public async Task TrainedRunServesItsModelAndPredicts()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec())).Id);

        using var model = JsonDocument.Parse(await client.GetStringAsync($"/api/runs/{run.Id}/model"));
        Assert.Equal("trainingservice-model/1", model.RootElement.GetProperty("format").GetString());
        Assert.Equal(2, model.RootElement.GetProperty("inputs").GetInt32());

        var response = await client.PostAsJsonAsync($"/api/runs/{run.Id}/predict", new { rows = new[] { new[] { 0.1f, 0.2f }, new[] { -0.5f, 0.5f } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions");
        Assert.Equal(2, predictions.GetArrayLength());
        Assert.Equal(3, predictions[0].GetProperty("output").GetArrayLength());
        Assert.InRange(predictions[0].GetProperty("class").GetInt32(), 0, 2);
    }

    [Fact]
    public async Task PredictNamesTheRowsOfTheWrongWidth()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec())).Id);

        var response = await client.PostJsonAsync($"/api/runs/{run.Id}/predict", """{"rows":[[1,2],[1,2],[3,4],[1,2,3],[1]]}""");
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["rows[3]", "rows[4]"], problem.Errors.Keys.Order());
        Assert.Contains("expected 2", problem.Errors["rows[3]"][0]);

        Assert.Contains("rows", (await (await client.PostJsonAsync($"/api/runs/{run.Id}/predict", "{}")).ProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Contains("rows[0][1]", (await (await client.PostJsonAsync($"/api/runs/{run.Id}/predict", """{"rows":[[1,"a"]]}""")).ProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Contains("extra", (await (await client.PostJsonAsync($"/api/runs/{run.Id}/predict", """{"rows":[[1,2]],"extra":1}""")).ProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task ModelIsNotFoundUntilTheRunHasSucceeded()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(Api.SmallSpec());
        var problem = await (await client.GetAsync($"/api/runs/{run.Id}/model")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("queued", problem.Detail);
        await (await client.PostJsonAsync($"/api/runs/{run.Id}/predict", """{"rows":[[1,2]]}""")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
