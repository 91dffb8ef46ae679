using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Tests;

public sealed class ResumeTests
{
    /// <summary>~90 steps an epoch; explicit seed so runs are comparable. Nothing in it depends on the epoch count but
    /// where the run stops, so a run stopped mid-way and shortened can be compared with a whole run of the shorter length.</summary>
    private static object ResumeSpec(int epochs) => new
    {
        dataset = new { name = "spiral", samples = 4000 },
        model = new { hidden = new[] { 64, 64 } },
        optimizer = new { type = "adam", learningRate = 0.01 },
        batchSize = 32,
        epochs,
        seed = 11,
    };

    /// <summary>
    /// With checkpoints at every epoch end (interval 0) and with the default interval (the first epoch's, then at most
    /// one every 2 s), the resume is bit-identical. The run is long by steps (4,000 epochs), so the host is stopped
    /// mid-way whatever the machine's speed; its stored spec is then shortened to a few epochs past its checkpoint, and
    /// the reference is an uninterrupted run of that length.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(null)]
    public async Task InterruptedRunResumesFromItsCheckpointAndFinishesExactlyAsAnUninterruptedRun(int? checkpointIntervalMs)
    {
        var settings = checkpointIntervalMs is { } ms
            ? new Dictionary<string, string?> { ["Training:CheckpointIntervalMs"] = ms.ToString(CultureInfo.InvariantCulture) }
            : [];
        string dir = ServiceFactory.NewDataDirectory();
        try
        {
            long id;
            await using (var first = new ServiceFactory(dir, settings))
            {
                var client = first.CreateClient();
                id = (await client.SubmitAsync(ResumeSpec(4000))).Id;
                // A step of epoch 3 stored means epoch 2's checkpoint is stored too when every epoch end writes one
                // (same channel, in order); with the interval, epoch 1's at least.
                var midway = await client.WaitAsync(id, r => r.Progress.Epoch >= 3 || r.Status != "running" && r.Status != "queued");
                Assert.Equal("running", midway.Status);
            } // stopping the host cancels training between two steps and writes no extra checkpoint

            long checkpointStep;
            int epochs;
            await using (var db = Database.Open(dir))
            {
                var run = await db.Runs.SingleAsync(r => r.Id == id);
                Assert.Equal(RunStatus.Running, run.Status);
                var checkpoint = await db.Checkpoints.AsNoTracking().SingleAsync(c => c.RunId == id);
                checkpointStep = checkpoint.Step;
                Assert.True(checkpoint.Epoch >= (checkpointIntervalMs == 0 ? 2 : 1), $"checkpoint at epoch {checkpoint.Epoch}");
                // What a crash after the checkpoint leaves behind: steps (and an epoch) the checkpoint does not cover.
                long last = await db.StepMetrics.Where(m => m.RunId == id).MaxAsync(m => m.Step);
                db.StepMetrics.Add(new StepMetric { RunId = id, Step = last + 1, Epoch = checkpoint.Epoch + 1, Loss = 12345, LayerGradNorms = "[]" });
                db.EpochMetrics.Add(new EpochMetric { RunId = id, Epoch = 3999, TrainLoss = 12345 });
                epochs = Math.Max(run.Epoch, checkpoint.Epoch) + 3;
                Assert.Contains("\"epochs\":4000", run.SpecJson);
                run.SpecJson = run.SpecJson.Replace("\"epochs\":4000", $"\"epochs\":{epochs}");
                await db.SaveChangesAsync();
            }

            RunDto reference;
            RunMetrics referenceMetrics;
            string referenceModel;
            await using (var factory = new ServiceFactory())
            {
                var client = factory.CreateClient();
                reference = await client.WaitAsync((await client.SubmitAsync(ResumeSpec(epochs))).Id);
                referenceMetrics = await client.GetMetricsAsync(reference.Id);
                referenceModel = await client.GetStringAsync($"/api/runs/{reference.Id}/model");
            }
            Assert.Equal("succeeded", reference.Status);

            await using (var second = new ServiceFactory(dir, settings))
            {
                var client = second.CreateClient();
                var resumed = await client.WaitAsync(id);
                Assert.Equal("succeeded", resumed.Status);
                var metrics = await client.GetMetricsAsync(id);
                string model = await client.GetStringAsync($"/api/runs/{id}/model");

                Assert.Equal(reference.Summary!.TrainLoss, resumed.Summary!.TrainLoss);
                Assert.Equal(reference.Summary.TestLoss, resumed.Summary.TestLoss);
                Assert.Equal(reference.Summary.Steps, resumed.Summary.Steps);
                Assert.Equal(referenceMetrics.Steps.Select(s => (s.Step, s.Epoch, s.Loss, s.GradNorm)), metrics.Steps.Select(s => (s.Step, s.Epoch, s.Loss, s.GradNorm)));
                Assert.Equal(JsonSerializer.Serialize(referenceMetrics.Epochs, Api.Json), JsonSerializer.Serialize(metrics.Epochs, Api.Json));
                Assert.Equal(referenceModel, model); // the same final parameters, bit for bit
                Assert.True(checkpointStep > 0);
            }
        }
        finally
        {
            ServiceFactory.DeleteDirectory(dir);
        }
    }

    /// <summary>Checkpoints are written at most once per interval, but the stored one is always the run's final state:
    /// the last epoch's, or after early stopping the epoch it stopped at (the decision boundary and a restart read it).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheStoredCheckpointIsTheFinalEpochsWhateverTheInterval(bool earlyStop)
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:CheckpointIntervalMs"] = "3600000" });
        var client = factory.CreateClient();
        object spec = earlyStop
            ? new { dataset = new { name = "spiral", samples = 300, validationFraction = 0.3 }, model = new { hidden = new[] { 8 } },
                    optimizer = new { type = "sgd", learningRate = 0.000001 }, batchSize = 32, epochs = 500, seed = 2,
                    earlyStopping = new { patience = 2, minDelta = 1.0 } }
            : new { dataset = new { name = "spiral", samples = 300 }, model = new { hidden = new[] { 8 } },
                    optimizer = new { type = "adam", learningRate = 0.01 }, batchSize = 32, epochs = 7, seed = 2 };
        var run = await client.WaitAsync((await client.SubmitAsync(spec)).Id);
        Assert.Equal("succeeded", run.Status);
        await using var db = Database.Open(factory.DataDirectory);
        var checkpoint = await db.Checkpoints.AsNoTracking().SingleAsync(c => c.RunId == run.Id);
        var epochs = await db.EpochMetrics.AsNoTracking().Where(e => e.RunId == run.Id).CountAsync();
        Assert.Equal(run.Progress.Epoch, checkpoint.Epoch);
        Assert.Equal(epochs, checkpoint.Epoch);
        Assert.Equal(run.Summary!.Steps, checkpoint.Step);
        if (earlyStop) Assert.True(checkpoint.Epoch < 500, "early stopping stopped the run");
        else Assert.Equal(7, checkpoint.Epoch);
    }

    [Fact]
    public async Task RunsAndMetricsAreIntactAfterTheHostRestarts()
    {
        string dir = ServiceFactory.NewDataDirectory();
        try
        {
            RunDto before;
            string csvBefore;
            await using (var first = new ServiceFactory(dir))
            {
                var client = first.CreateClient();
                before = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec(tags: ["keep"]))).Id);
                csvBefore = await client.GetStringAsync($"/api/runs/{before.Id}/metrics.csv");
            }
            await using (var second = new ServiceFactory(dir))
            {
                var client = second.CreateClient();
                var after = await client.GetRunAsync(before.Id);
                Assert.Equal(before.Status, after.Status);
                Assert.Equal(before.Summary, after.Summary);
                Assert.Equal(before.FinishedAt, after.FinishedAt);
                Assert.Equal(csvBefore, await client.GetStringAsync($"/api/runs/{before.Id}/metrics.csv"));
                var page = await client.GetFromJsonAsync<RunPage>("/api/runs?tag=keep", Api.Json);
                Assert.Equal(before.Id, Assert.Single(page!.Items).Id);
            }
        }
        finally
        {
            ServiceFactory.DeleteDirectory(dir);
        }
    }
}
