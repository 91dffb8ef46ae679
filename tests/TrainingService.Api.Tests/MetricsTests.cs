using System.Globalization;
using System.Net.Http.Json;
using TrainingService.Api.Contracts;

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
        Assert.Equal("step,epoch,loss,gradNorm,learningRate,elapsedMs,lossEvaluations,examplesSeen,layerGradNorm0,layerGradNorm1", lines[0]);
        Assert.Equal(run.Progress.TotalSteps, lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            Assert.Equal(10, f.Length);
            Assert.Equal(metrics.Steps[i - 1].ExamplesSeen, long.Parse(f[7], CultureInfo.InvariantCulture));
            Assert.Equal(i, long.Parse(f[0], CultureInfo.InvariantCulture));
            Assert.Equal(metrics.Steps[i - 1].Loss, double.Parse(f[2], CultureInfo.InvariantCulture)); // round-trip exact
        }
    }

    [Fact]
    public async Task TwoParameterModelsReportTheirTrajectoryAndSigmoidNetsTheirSaturation()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var line = await client.WaitAsync((await client.SubmitAsync(new { dataset = new { name = "linear" }, model = new { hidden = Array.Empty<int>() }, epochs = 2, seed = 1 })).Id);
        var sigmoid = await client.WaitAsync((await client.SubmitAsync(new { dataset = new { name = "xor" }, model = new { hidden = new[] { 8 }, activation = "sigmoid" }, epochs = 2, seed = 1 })).Id);

        Assert.All((await client.GetMetricsAsync(line.Id)).Steps, s => Assert.Equal(2, s.Point!.Length));
        var epochs = (await client.GetMetricsAsync(sigmoid.Id)).Epochs;
        Assert.All(epochs, e => Assert.InRange(e.SaturatedFraction![0]!.Value, 0, 1));
        Assert.All((await client.GetMetricsAsync(sigmoid.Id)).Steps, s => Assert.Null(s.Point));
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

    [Fact]
    public async Task AFastRunStoresEveryStepWithoutBeingThrottled()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        // Per-sample SGD on a tiny net: tens of thousands of steps a second, far more than one insert per step could take.
        var run = await client.WaitAsync((await client.SubmitAsync(new
        {
            dataset = new { name = "xor", samples = 4000 }, model = new { hidden = new[] { 4 } },
            optimizer = new { type = "sgd", learningRate = 0.05 }, batchSize = 1, epochs = 5, seed = 4,
        })).Id, timeoutSeconds: 120);
        Assert.Equal("succeeded", run.Status);
        var steps = (await client.GetMetricsAsync(run.Id)).Steps;
        Assert.Equal(run.Progress.TotalSteps, steps.Count);
        Assert.Equal(run.Progress.TotalSteps, steps[^1].Step);
        double stepsPerSecond = run.Summary!.Steps / run.Summary.TrainSeconds;
        double wallSeconds = (run.FinishedAt!.Value - run.StartedAt!.Value).TotalSeconds;
        Console.WriteLine($"{steps.Count} steps: engine {stepsPerSecond:F0} steps/s, stored {steps.Count / wallSeconds:F0} points/s wall");
        Assert.True(stepsPerSecond > 2000, $"training ran at {stepsPerSecond:F0} steps/s");
    }

    [Fact]
    public async Task ARawReadLongerThanAPageIsStreamedWholeAndInOrder()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        // Per-sample steps: more than two pages of raw rows (StepReader.RawPageRows), so the read crosses page ends.
        var run = await client.WaitAsync((await client.SubmitAsync(new
        {
            dataset = new { name = "xor", samples = 2000 }, model = new { hidden = new[] { 4 } },
            optimizer = new { type = "sgd", learningRate = 0.05 }, batchSize = 1, epochs = 8, seed = 5,
        })).Id, timeoutSeconds: 120);
        Assert.Equal("succeeded", run.Status);
        int page = Rollups.StepReader.RawPageRows;

        var response = await client.GetAsync($"/api/runs/{run.Id}/metrics");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var all = (await response.Content.ReadFromJsonAsync<RunMetrics>(Api.Json))!;
        Assert.True(all.Steps.Count > 2 * page, $"{all.Steps.Count} steps");
        Assert.Equal(Enumerable.Range(1, (int)run.Progress.TotalSteps).Select(i => (long)i), all.Steps.Select(s => s.Step));
        Assert.Equal(8, all.Epochs.Count);
        Assert.Equal((await client.GetMetricsAsync(run.Id, "?maxPoints=50")).Epochs.Select(e => e.TrainLoss), all.Epochs.Select(e => e.TrainLoss));

        // The CSV export, read independently, holds the same losses.
        var csv = (await client.GetStringAsync($"/api/runs/{run.Id}/metrics.csv")).TrimEnd('\n').Split('\n').Skip(1)
            .Select(line => double.Parse(line.Split(',')[2], CultureInfo.InvariantCulture));
        Assert.Equal(csv, all.Steps.Select(s => s.Loss));

        // A range across two page ends: exactly its steps, as in the whole read.
        long from = page - 2, to = 2L * page + 3;
        var range = (await client.GetMetricsAsync(run.Id, $"?fromStep={from}&toStep={to}")).Steps;
        Assert.Equal(Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i), range.Select(s => s.Step));
        Assert.Equal(all.Steps.Skip((int)from - 1).Take(range.Count).Select(s => (s.Loss, s.GradNorm, s.LayerGradNorms.Sum())),
            range.Select(s => (s.Loss, s.GradNorm, s.LayerGradNorms.Sum())));
        Assert.Empty((await client.GetMetricsAsync(run.Id, $"?fromStep={run.Progress.TotalSteps + 1}")).Steps);
    }

    [Fact]
    public async Task WithMaxPointsARunOfManyEpochsReturnsEachBucketsLowestAndHighestLossEpochAndTheLast()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        // Full-batch descent: one step an epoch, 300 epochs.
        var run = await client.WaitAsync((await client.SubmitAsync(new
        {
            dataset = new { name = "xor", samples = 100 }, model = new { hidden = new[] { 4 } },
            optimizer = new { type = "sgd", learningRate = 0.5 }, batchSize = 100, epochs = 300, seed = 8,
        })).Id, timeoutSeconds: 120);
        Assert.Equal("succeeded", run.Status);
        var all = (await client.GetMetricsAsync(run.Id)).Epochs; // without maxPoints: every epoch
        Assert.Equal(Enumerable.Range(1, 300), all.Select(e => e.Epoch));

        // Brute force over the whole list: 10 buckets of 30, each its first lowest and first highest validation loss.
        var expected = new SortedSet<int>();
        for (int b = 0; b < 10; b++)
        {
            var bucket = all.Skip(300 * b / 10).Take(30).ToList();
            expected.Add(bucket.MinBy(e => e.ValidationLoss!.Value)!.Epoch);
            expected.Add(bucket.MaxBy(e => e.ValidationLoss!.Value)!.Epoch);
        }
        expected.Add(300);
        var thin = (await client.GetMetricsAsync(run.Id, "?maxPoints=20")).Epochs;
        Assert.True(thin.Count <= 20, $"{thin.Count} epochs");
        Assert.Equal(expected.Take(20 - 1).Append(300).Distinct(), thin.Select(e => e.Epoch));
        string Json(object o) => System.Text.Json.JsonSerializer.Serialize(o, Api.Json);
        foreach (var e in thin) Assert.Equal(Json(all[e.Epoch - 1]), Json(e)); // whole rows, not averages

        // At most maxPoints epochs: all of them.
        Assert.Equal(Json(all), Json((await client.GetMetricsAsync(run.Id, "?maxPoints=300")).Epochs));
    }
}
