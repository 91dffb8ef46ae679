using System.Globalization;

namespace TrainingService.Api.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task MetricsCsvHasOneRowPerStepAndParses()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec())).Id);
        var metrics = await client.GetMetricsAsync(run.Id);

        var response = await client.GetAsync($"/api/runs/{run.Id}/metrics.csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("step,epoch,loss,gradNorm,learningRate,elapsedMs,layerGradNorm0,layerGradNorm1", lines[0]);
        Assert.Equal(run.Progress.TotalSteps, lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            Assert.Equal(8, f.Length);
            Assert.Equal(i, long.Parse(f[0], CultureInfo.InvariantCulture));
            Assert.Equal(metrics.Steps[i - 1].Loss, double.Parse(f[2], CultureInfo.InvariantCulture)); // round-trip exact
        }
    }

    [Fact]
    public async Task MultiRunCsvExportHasARunIdColumn()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var a = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec(seed: 1, epochs: 1))).Id);
        var b = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec(seed: 2, epochs: 2))).Id);

        var lines = (await client.GetStringAsync($"/api/runs/metrics.csv?ids={a.Id},{b.Id}")).TrimEnd('\n').Split('\n');
        Assert.StartsWith("runId,step,epoch,loss", lines[0]);
        var perRun = lines.Skip(1).GroupBy(l => long.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(a.Progress.TotalSteps, perRun[a.Id]);
        Assert.Equal(b.Progress.TotalSteps, perRun[b.Id]);
    }

    [Fact]
    public async Task MaxPointsKeepsEachBucketsMinAndMaxAndFromStepReadsIncrementally()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec(epochs: 10))).Id);
        var all = (await client.GetMetricsAsync(run.Id)).Steps;

        var thin = (await client.GetMetricsAsync(run.Id, "?maxPoints=20")).Steps;
        Assert.InRange(thin.Count, 2, 20);
        Assert.Contains(thin, s => s.Loss == all.Min(p => p.Loss));
        Assert.Contains(thin, s => s.Loss == all.Max(p => p.Loss));
        Assert.Equal(thin.OrderBy(s => s.Step).Select(s => s.Step), thin.Select(s => s.Step));
        Assert.All(thin, s => Assert.Equal(all[(int)s.Step - 1], s with { LayerGradNorms = all[(int)s.Step - 1].LayerGradNorms }));

        var tail = (await client.GetMetricsAsync(run.Id, $"?fromStep={all.Count - 4}")).Steps;
        Assert.Equal(Enumerable.Range(all.Count - 4, 5).Select(i => (long)i), tail.Select(s => s.Step));
    }
}
