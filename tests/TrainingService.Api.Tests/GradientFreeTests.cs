namespace TrainingService.Api.Tests;

/// <summary>Gradient-free and numerical runs through the service: their step points carry the work done.</summary>
public sealed class GradientFreeTests
{
    [Fact]
    public async Task StepsCarryLossEvaluationsAndExamplesSeenForEveryKindOfTraining()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        object Spec(object optimizer, string? gradient = null) => new
        {
            dataset = new { name = "xor", samples = 64, validationFraction = 0, testFraction = 0 },
            model = new { hidden = new[] { 2 }, activation = "tanh" },
            optimizer, gradient, batchSize = 16, epochs = 2, seed = 5,
        };
        var backprop = await client.WaitAsync((await client.SubmitAsync(Spec(new { type = "sgd" }))).Id);
        var numerical = await client.WaitAsync((await client.SubmitAsync(Spec(new { type = "sgd" }, "numerical"))).Id);
        var hill = await client.WaitAsync((await client.SubmitAsync(Spec(new { type = "hill_climbing" }))).Id);
        Assert.All(new[] { backprop, numerical, hill }, r => Assert.Equal("succeeded", r.Status));

        // 2·2+2 + 2·2+2 = 12 parameters: backprop evaluates the loss once per step, central differences 1 + 2·12 times.
        var b = (await client.GetMetricsAsync(backprop.Id)).Steps;
        Assert.All(b, s => Assert.Equal(s.Step, s.LossEvaluations));
        Assert.All((await client.GetMetricsAsync(numerical.Id)).Steps, s => Assert.Equal(s.Step * 25, s.LossEvaluations));
        Assert.Equal([16L, 32, 48, 64, 80, 96, 112, 128], b.Select(s => s.ExamplesSeen!.Value));

        var h = (await client.GetMetricsAsync(hill.Id)).Steps;
        Assert.All(h, s => Assert.Null(s.GradNorm));
        Assert.All(h, s => Assert.Empty(s.LayerGradNorms));
        Assert.True(h.Zip(h.Skip(1)).All(p => p.Second.LossEvaluations > p.First.LossEvaluations), "loss evaluations only grow");
    }

    [Fact]
    public async Task AGradientCheckIsReportedInTheRunSummary()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(new
        {
            dataset = new { name = "moons", samples = 60 }, model = new { hidden = new[] { 4 }, activation = "tanh" },
            epochs = 1, seed = 2, gradientCheck = true,
        })).Id);
        var check = run.Summary!.GradientCheck!;
        Assert.Equal(2, check.LayerMaxRelativeError.Length);
        Assert.True(check.MaxRelativeError < 1e-3, $"{check.MaxRelativeError}");
        Assert.True(check.LossEvaluations > 0);
    }
}
