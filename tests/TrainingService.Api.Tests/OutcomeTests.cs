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
            File.Delete(Path.Combine(dir, "uploads", "line.csv"));

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
