using System.Net;
using System.Net.Http.Json;
using TrainingService.Api.Contracts;

namespace TrainingService.Api.Tests;

public sealed class LrFinderTests
{
    private static async Task<RunDto> StartAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/api/lr-finder", request, Api.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var dto = (await response.Content.ReadFromJsonAsync<RunDto>(Api.Json))!;
        Assert.Equal($"/api/runs/{dto.Id}", response.Headers.Location?.OriginalString);
        return dto;
    }

    [Fact]
    public async Task AFinderRunTrainsAndSuggestsARateInItsRange()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var queued = await StartAsync(client, new { spec = Api.SmallSpec(), minLearningRate = 1e-5, maxLearningRate = 10.0, steps = 40 });
        Assert.Equal("queued", queued.Status);
        Assert.Equal("range_test", queued.Spec.Optimizer!.Schedule!.Type);
        Assert.Equal(40, queued.Progress.TotalSteps);
        // 150 spiral samples, 16 a batch: 8 steps an epoch (after the validation split), so 40 steps span 5–6 epochs.
        Assert.InRange(queued.Spec.Epochs!.Value, 5, 8);

        var run = await client.WaitAsync(queued.Id);
        Assert.Equal("succeeded", run.Status);
        Assert.InRange(run.Summary!.Steps, 2, 40);
        Assert.NotNull(run.Summary.SuggestedLearningRate);
        Assert.InRange(run.Summary.SuggestedLearningRate!.Value, 1e-5, 10);
        Assert.InRange(run.Summary.MinimumLearningRateOverTen!.Value, 1e-6, 1);
        // The stored steps carry the exponential: step 1 at min, each step ×(max/min)^(1/39).
        var metrics = await client.GetMetricsAsync(run.Id);
        Assert.Equal(1e-5, metrics.Steps[0].LearningRate, 1e-15);
        Assert.Equal(1e-5 * Math.Pow(1e6, 1.0 / 39), metrics.Steps[1].LearningRate, 1e-12);
    }

    [Fact]
    public async Task DefaultsApplyWhenOnlyTheSpecIsGiven()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var queued = await StartAsync(client, new { spec = Api.SmallSpec() });
        var s = queued.Spec.Optimizer!.Schedule!;
        Assert.Equal((1e-7, 10.0, 100), (s.MinLearningRate, s.MaxLearningRate, s.Steps));
        Assert.Equal(100, queued.Progress.TotalSteps);
    }

    [Theory]
    [InlineData("""{ "spec": {"dataset":{"name":"spiral"}}, "minLearningRate": 0 }""", "minLearningRate")]
    [InlineData("""{ "spec": {"dataset":{"name":"spiral"}}, "maxLearningRate": 5000 }""", "maxLearningRate")]
    [InlineData("""{ "spec": {"dataset":{"name":"spiral"}}, "minLearningRate": 0.1, "maxLearningRate": 0.01 }""", "maxLearningRate")]
    [InlineData("""{ "spec": {"dataset":{"name":"spiral"}}, "steps": 1 }""", "steps")]
    [InlineData("""{ "steps": 50 }""", "spec")]
    [InlineData("""{ "spec": {"dataset":{"name":"spiral"},"model":{"hidden":[0]}} }""", "spec.model.hidden[0]")]
    public async Task BadInputIsA400NamingTheField(string body, string field)
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var problem = await (await client.PostJsonAsync("/api/lr-finder", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.Errors.Keys);
    }

    [Fact]
    public async Task AGradientFreeOptimizerIsRefused()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var response = await client.PostJsonAsync("/api/lr-finder", """{ "spec": {"dataset":{"name":"spiral"},"optimizer":{"type":"genetic"}} }""");
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("gradient-free", Assert.Single(problem.Errors["spec.optimizer.type"]));
    }
}
