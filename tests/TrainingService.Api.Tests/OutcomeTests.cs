using Microsoft.EntityFrameworkCore;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Tests;

public sealed class OutcomeTests
{
    [Fact]
    public async Task DivergingRunEndsDivergedWithItsReason()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(new
        {
            dataset = new { name = "linear" },
            model = new { hidden = new[] { 8 } },
            optimizer = new { type = "sgd", learningRate = 50 },
            batchSize = 0,
            epochs = 200,
            seed = 1,
        });
        var finished = await client.WaitAsync(run.Id);
        Assert.Equal("diverged", finished.Status);
        Assert.Contains("learning rate", finished.Error);
        Assert.True(finished.Summary!.Steps < finished.Progress.TotalSteps);
    }

    [Fact]
    public async Task EarlyStoppedRunReportsItsBestEpochAndStoresItsWeights()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(new
        {
            dataset = new { name = "moons", samples = 100, noise = 0.4, validationFraction = 0.3 },
            model = new { hidden = new[] { 64, 64 } },
            optimizer = new { type = "adam", learningRate = 0.05 },
            batchSize = 8,
            epochs = 300,
            seed = 2,
            earlyStopping = new { patience = 3 },
        });
        var finished = await client.WaitAsync(run.Id);
        Assert.Equal("succeeded", finished.Status);
        Assert.True(finished.Spec.EarlyStopping!.RestoreBestWeights);
        var s = finished.Summary!;
        Assert.NotNull(s.EarlyStoppedAtEpoch);
        Assert.Equal(s.EarlyStoppedAtEpoch - 3, s.BestEpoch);

        // The same spec in the engine: the service reports its figures and stores its kept (best-epoch) weights.
        var local = TrainingSession.Create(finished.Spec, factory.DataDirectory);
        var expected = local.Run();
        Assert.Equal(expected.BestEpoch, s.BestEpoch);
        Assert.Equal(expected.Summary.ValidationLoss, s.ValidationLoss);
        Assert.Equal(expected.Summary.TestLoss, s.TestLoss);
        var stored = ModelFile.FromJson(await client.GetStringAsync($"/api/runs/{run.Id}/model")).BuildNetwork();
        Assert.Equal(local.Network.GetFlatParameters(), stored.GetFlatParameters());
    }

    [Fact]
    public async Task RunWhoseDatasetVanishedBeforeTrainingFailsWithTheReason()
    {
        string dir = ServiceFactory.NewDataDirectory();
        try
        {
            long id;
            await using (var apiOnly = new ServiceFactory(dir, new() { ["Training:WorkerEnabled"] = "false" }))
            {
                var client = apiOnly.CreateClient();
                using var form = new MultipartFormDataContent { { new StringContent("a,b\n1,2\n2,4\n3,6\n4,8\n5,10\n6,12\n7,14\n"), "file", "line.csv" } };
                (await client.PostAsync("/api/datasets", form)).EnsureSuccessStatusCode();
                id = (await client.SubmitAsync(new { dataset = new { name = "line" }, epochs = 2 })).Id;
            }
            // Gone from the database and the disk (the disk alone is a cache, written again from the database).
            File.Delete(Path.Combine(dir, "uploads", "line.csv"));
            await using (var db = Database.Open(dir)) await db.Uploads.Where(u => u.Name == "line").ExecuteDeleteAsync();

            await using var worker = new ServiceFactory(dir);
            var run = await worker.CreateClient().WaitAsync(id, r => r.Status == "failed");
            Assert.Contains("unknown dataset 'line'", run.Error);
            Assert.NotNull(run.FinishedAt);
        }
        finally
        {
            ServiceFactory.DeleteDirectory(dir);
        }
    }
}
