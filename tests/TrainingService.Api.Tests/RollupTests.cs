using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Rollups;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Tests;

/// <summary>Step rollups (<see cref="RollupWriter"/>) against a brute-force computation over the raw rows, thinned reads
/// bounded by their answer (<see cref="StepReader"/>), and the streamed CSV exports.</summary>
public sealed class RollupTests
{
    /// <summary>Per-sample SGD on 400 rows: ≈ 280 steps an epoch, with two layers' gradient norms.</summary>
    private static object ManySteps(int epochs, int seed = 7) => new
    {
        dataset = new { name = "moons", samples = 400 }, model = new { hidden = new[] { 6 } }, batchSize = 1, epochs, seed,
    };

    /// <summary>Every stored rollup row equals min, max, sum, last and count over the raw rows it covers, and every level
    /// covers the steps exactly once (no bucket missing, none counted twice).</summary>
    private static async Task AssertRollupsMatchRawAsync(string dataDirectory, long runId)
    {
        await using var db = Database.Open(dataDirectory);
        var raw = await db.StepMetrics.AsNoTracking().Where(m => m.RunId == runId).OrderBy(m => m.Step).ToListAsync();
        var rollups = await db.StepRollups.AsNoTracking().Where(r => r.RunId == runId).OrderBy(r => r.Level).ThenBy(r => r.Bucket).ToListAsync();
        Assert.NotEmpty(raw);
        Assert.Equal(Enumerable.Range(1, raw.Count).Select(i => (long)i), raw.Select(m => m.Step));
        for (int level = 0; level < RollupLadder.Levels; level++)
        {
            long size = RollupLadder.Size(level);
            var rows = rollups.Where(r => r.Level == level).ToList();
            Assert.Equal((raw.Count + size - 1) / size, rows.Count);
            Assert.Equal(raw.Count, rows.Sum(r => (long)r.Count));
            foreach (var r in rows)
            {
                var steps = raw.Where(m => (m.Step - 1) / size == r.Bucket).ToList();
                Assert.Equal(steps.Count, r.Count);
                Assert.Equal(steps[0].Step, r.FirstStep);
                Assert.Equal(steps[^1].Step, r.LastStep);
                Assert.Equal(steps.Min(m => m.Loss), r.LossMin);
                Assert.Equal(steps.Max(m => m.Loss), r.LossMax);
                Assert.Equal(steps[^1].Loss, r.LossLast);
                Assert.Equal(steps.Sum(m => m.Loss), r.LossSum, 1e-9 * Math.Max(1, Math.Abs(r.LossSum)));
                Assert.Equal(steps.Min(m => m.GradNorm), r.GradNormMin);
                Assert.Equal(steps.Max(m => m.GradNorm), r.GradNormMax);
                Assert.Equal(steps[^1].GradNorm, r.GradNormLast);
                Assert.Equal(steps[^1].Epoch, r.Epoch);
                Assert.Equal(steps[^1].ExamplesSeen, r.ExamplesSeen);
                var layers = JsonSerializer.Deserialize<double[][]>(r.LayerGradNorms)!;
                var perStep = steps.Select(m => JsonSerializer.Deserialize<double[]>(m.LayerGradNorms)!).ToList();
                Assert.Equal(perStep[0].Length, layers.Length);
                for (int l = 0; l < layers.Length; l++)
                {
                    Assert.Equal(perStep.Min(x => x[l]), layers[l][0]);
                    Assert.Equal(perStep.Max(x => x[l]), layers[l][1]);
                    Assert.Equal(perStep.Sum(x => x[l]), layers[l][2], 1e-9 * Math.Max(1, layers[l][2]));
                    Assert.Equal(perStep[^1][l], layers[l][3]);
                }
            }
        }
    }

    [Fact]
    public async Task RollupsWrittenAsStepsArriveEqualABruteForceOverTheRawRows()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:FlushIntervalMs"] = "7" }); // many small flushes
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(ManySteps(epochs: 12))).Id);
        Assert.Equal("succeeded", run.Status);
        Assert.True(run.Progress.TotalSteps > 3000);
        await AssertRollupsMatchRawAsync(factory.DataDirectory, run.Id);
    }

    [Fact]
    public async Task AResumeAfterACrashLeavesRollupsConsistentWithTheRawRows()
    {
        string dir = ServiceFactory.NewDataDirectory();
        try
        {
            long id;
            await using (var first = new ServiceFactory(dir, new() { ["Training:CheckpointIntervalMs"] = "0" }))
            {
                var client = first.CreateClient();
                id = (await client.SubmitAsync(ManySteps(epochs: 400))).Id;
                var midway = await client.WaitAsync(id, r => r.Progress.Step > 2000 || r.Status is not ("queued" or "running"));
                Assert.Equal("running", midway.Status);
            }
            await using (var db = Database.Open(dir))
            {
                // What a crash leaves: steps past the checkpoint, stored with their rollups (the resume deletes both).
                // A stop can fall right at a checkpoint (here every epoch end writes one), so one such step is staged
                // too, added to the rollup row of every level that holds it, as the pump would have written it.
                long checkpoint = (await db.Checkpoints.SingleAsync(c => c.RunId == id)).Step;
                long last = await db.StepMetrics.Where(m => m.RunId == id).MaxAsync(m => m.Step);
                db.StepMetrics.Add(new StepMetric { RunId = id, Step = last + 1, Epoch = 1, Loss = 12345, LayerGradNorms = "[]" });
                for (int level = 0; level < RollupLadder.Levels; level++)
                {
                    long bucket = RollupLadder.BucketOf(last + 1, level);
                    var row = await db.StepRollups.SingleOrDefaultAsync(r => r.RunId == id && r.Level == level && r.Bucket == bucket);
                    if (row is null)
                        db.StepRollups.Add(new StepRollup
                        {
                            RunId = id, Level = level, Bucket = bucket, FirstStep = last + 1, LastStep = last + 1, Count = 1,
                            LossMin = 12345, LossMax = 12345, LossSum = 12345, LossLast = 12345, LayerGradNorms = "[]",
                        });
                    else
                        (row.LastStep, row.Count, row.LossMax, row.LossSum, row.LossLast) = (last + 1, row.Count + 1, 12345, row.LossSum + 12345, 12345);
                }
                await db.SaveChangesAsync();
                Assert.True(last + 1 > checkpoint, $"last {last}, checkpoint {checkpoint}");
                Assert.True(await db.StepRollups.AnyAsync(r => r.RunId == id && r.LastStep > checkpoint));
                // Shorten the run so the resumed host finishes quickly: the spec is read again at the resume.
                var run = await db.Runs.SingleAsync(r => r.Id == id);
                run.SpecJson = run.SpecJson.Replace("\"epochs\":400", $"\"epochs\":{(int)(checkpoint / 280) + 3}");
                await db.SaveChangesAsync();
            }
            await using (var second = new ServiceFactory(dir))
            {
                var client = second.CreateClient();
                var done = await client.WaitAsync(id);
                Assert.Equal("succeeded", done.Status);
            }
            await AssertRollupsMatchRawAsync(dir, id);
        }
        finally
        {
            ServiceFactory.DeleteDirectory(dir);
        }
    }

    [Fact]
    public async Task RunsStoredBeforeRollupsAreRolledUpAtStartUp()
    {
        string dir = ServiceFactory.NewDataDirectory();
        try
        {
            long id;
            await using (var first = new ServiceFactory(dir))
            {
                var client = first.CreateClient();
                id = (await client.WaitAsync((await client.SubmitAsync(ManySteps(epochs: 3))).Id)).Id;
            }
            await using (var db = Database.Open(dir)) await db.StepRollups.Where(r => r.RunId == id).ExecuteDeleteAsync();
            await using (var second = new ServiceFactory(dir))
            {
                var client = second.CreateClient();
                await client.GetAsync("/healthz"); // start the host (and its backfill)
                await using var db = Database.Open(dir);
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (!await db.StepRollups.AnyAsync(r => r.RunId == id && r.Level == RollupLadder.Levels - 1) && DateTime.UtcNow < deadline)
                    await Task.Delay(50);
            }
            await AssertRollupsMatchRawAsync(dir, id);
        }
        finally
        {
            ServiceFactory.DeleteDirectory(dir);
        }
    }

    [Fact]
    public async Task ThinnedReadsAreBoundedEndWithTheNewestStepAndCarryTheEnvelope()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(ManySteps(epochs: 30))).Id);
        var all = (await client.GetMetricsAsync(run.Id)).Steps;
        long total = run.Progress.TotalSteps;
        Assert.Equal(total, all.Count);

        foreach (int max in new[] { 2, 3, 10, 100, 1000 })
        {
            var thin = (await client.GetMetricsAsync(run.Id, $"?maxPoints={max}")).Steps;
            Assert.InRange(thin.Count, 1, max);
            Assert.Equal(total, thin[^1].Step); // the newest step, raw
            Assert.Null(thin[^1].Bucket);
            Assert.Equal(all[^1].Loss, thin[^1].Loss);
            Assert.Equal(thin.Select(s => s.Step).Order(), thin.Select(s => s.Step));
            // Every step is inside exactly one bucket point (or is a raw point), so the envelope holds the extremes.
            var buckets = thin.Where(s => s.Bucket is not null).Select(s => s.Bucket!).ToList();
            Assert.NotEmpty(buckets);
            Assert.Equal(1, buckets[0].FirstStep);
            for (int i = 1; i < buckets.Count; i++) Assert.Equal(buckets[i - 1].LastStep + 1, buckets[i].FirstStep);
            Assert.Equal(all.Min(s => s.Loss), Math.Min(buckets.Min(b => b.LossMin), thin[^1].Loss));
            Assert.Equal(all.Max(s => s.Loss), Math.Max(buckets.Max(b => b.LossMax), thin[^1].Loss));
            foreach (var p in thin.Where(s => s.Bucket is not null))
            {
                var covered = all.Skip((int)p.Bucket!.FirstStep - 1).Take(p.Bucket.Count).ToList();
                Assert.Equal(covered.Average(s => s.Loss), p.Loss, 1e-9);
                Assert.Equal(covered[^1].Loss, p.Bucket.LossLast);
                Assert.Equal(p.Bucket.LastStep, p.Step);
            }
        }

        // A zoomed range: at most maxPoints, ending with the range's last step, bucket-aligned at the edges.
        var zoom = (await client.GetMetricsAsync(run.Id, "?fromStep=2000&toStep=6000&maxPoints=50")).Steps;
        Assert.InRange(zoom.Count, 1, 50);
        Assert.Equal(6000, zoom[^1].Step);
        Assert.All(zoom, s => Assert.True((s.Bucket?.LastStep ?? s.Step) >= 2000 && (s.Bucket?.FirstStep ?? s.Step) <= 6000));
        var small = (await client.GetMetricsAsync(run.Id, "?fromStep=100&toStep=140&maxPoints=50")).Steps;
        Assert.Equal(Enumerable.Range(100, 41).Select(i => (long)i), small.Select(s => s.Step)); // fits: raw
        var bad = await client.GetAsync($"/api/runs/{run.Id}/metrics?fromStep=10&toStep=5");
        Assert.Contains("toStep", (await bad.ProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task CsvExportsHaveEveryStepAndEveryEpoch()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(ManySteps(epochs: 20))).Id);
        var lines = (await client.GetStringAsync($"/api/runs/{run.Id}/metrics.csv")).TrimEnd('\n').Split('\n');
        Assert.Equal(run.Progress.TotalSteps, lines.Length - 1); // more than one page of rows
        Assert.True(lines.Length - 1 > 4096);
        Assert.Equal(Enumerable.Range(1, lines.Length - 1).Select(i => i.ToString(CultureInfo.InvariantCulture)), lines.Skip(1).Select(l => l.Split(',')[0]));

        var epochs = (await client.GetStringAsync($"/api/runs/{run.Id}/epochs.csv")).TrimEnd('\n').Split('\n');
        Assert.Equal("epoch,trainLoss,trainAccuracy,validationLoss,validationAccuracy,learningRate", epochs[0]);
        var stored = (await client.GetMetricsAsync(run.Id, "?fromStep=999999999")).Epochs;
        Assert.Equal(stored.Count, epochs.Length - 1);
        Assert.Equal(20, stored.Count);
        for (int i = 0; i < stored.Count; i++)
        {
            var f = epochs[i + 1].Split(',');
            Assert.Equal(stored[i].Epoch, int.Parse(f[0], CultureInfo.InvariantCulture));
            Assert.Equal(stored[i].TrainLoss, double.Parse(f[1], CultureInfo.InvariantCulture));
            Assert.Equal(stored[i].ValidationLoss, f[3].Length == 0 ? null : double.Parse(f[3], CultureInfo.InvariantCulture));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/runs/999/epochs.csv")).StatusCode);
    }

    private static async Task<List<StepRollup>> RollupsAsync(string dataDirectory, long runId)
    {
        await using var db = Database.Open(dataDirectory);
        return await db.StepRollups.AsNoTracking().Where(r => r.RunId == runId && r.Level < RollupWriter.SnapshotLevel)
            .OrderBy(r => r.Level).ThenBy(r => r.Bucket).ToListAsync();
    }

    private static void AssertSameRollups(List<StepRollup> expected, List<StepRollup> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        // Everything but the run id and the wall-clock time.
        foreach (var r in expected.Concat(actual)) (r.RunId, r.ElapsedMs) = (0, 0);
        for (int i = 0; i < expected.Count; i++)
            Assert.Equal(JsonSerializer.Serialize(expected[i]), JsonSerializer.Serialize(actual[i]));
    }

    [Fact]
    public async Task PastTheStoredStepCapRawRowsAreThinnedWhileTheRollupsStayExact()
    {
        const int cap = 1000;
        await using var reference = new ServiceFactory();
        var full = await reference.CreateClient().WaitAsync((await reference.CreateClient().SubmitAsync(ManySteps(epochs: 12))).Id);
        await using var capped = new ServiceFactory(settings: new() { ["Training:MaxStoredStepsPerRun"] = cap.ToString(CultureInfo.InvariantCulture) });
        var client = capped.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(ManySteps(epochs: 12))).Id);
        Assert.Equal("succeeded", run.Status);
        Assert.Equal(full.Summary!.TrainLoss, run.Summary!.TrainLoss);

        AssertSameRollups(await RollupsAsync(reference.DataDirectory, full.Id), await RollupsAsync(capped.DataDirectory, run.Id));
        await using (var db = Database.Open(capped.DataDirectory))
        {
            var raw = await db.StepMetrics.AsNoTracking().Where(m => m.RunId == run.Id).Select(m => m.Step).OrderBy(s => s).ToListAsync();
            Assert.Equal(Enumerable.Range(1, cap).Select(i => (long)i), raw.Take(cap));
            long total = run.Progress.TotalSteps;
            Assert.Equal(total, raw[^1]); // the newest step is kept
            Assert.All(raw.Skip(cap).SkipLast(1), s => Assert.True(s % 16 == 0 || s % 280 == 0, $"step {s} kept past the cap"));
            Assert.Contains(raw, s => s > cap && s % 16 == 0);
            Assert.InRange(raw.Count, cap + (total - cap) / 16, cap + (total - cap) / 4);
        }
        Assert.Null(full.Storage!.RawStepsThinnedAfter);
        Assert.Equal(cap, run.Storage!.RawStepsThinnedAfter);
        Assert.InRange(run.Storage.Bytes, 1, full.Storage.Bytes - 1);

        // Thinned reads still end with the newest step, and their envelopes are the exact ones.
        var thin = (await client.GetMetricsAsync(run.Id, "?maxPoints=100")).Steps;
        var same = (await reference.CreateClient().GetMetricsAsync(full.Id, "?maxPoints=100")).Steps;
        Assert.Equal(run.Progress.TotalSteps, thin[^1].Step);
        Assert.Equal(same.Select(p => (p.Step, p.Loss, p.Bucket?.LossMin, p.Bucket?.LossMax)), thin.Select(p => (p.Step, p.Loss, p.Bucket?.LossMin, p.Bucket?.LossMax)));
    }

    [Fact]
    public async Task ACappedRunResumedAfterAStopHasTheRollupsOfAnUninterruptedRun()
    {
        const int cap = 1000;
        string dir = ServiceFactory.NewDataDirectory();
        try
        {
            var settings = new Dictionary<string, string?> { ["Training:MaxStoredStepsPerRun"] = cap.ToString(CultureInfo.InvariantCulture), ["Training:CheckpointIntervalMs"] = "0" };
            long id;
            int epochs;
            await using (var first = new ServiceFactory(dir, settings))
            {
                var client = first.CreateClient();
                id = (await client.SubmitAsync(ManySteps(epochs: 400))).Id;
                var midway = await client.WaitAsync(id, r => r.Progress.Step > 3 * cap || r.Status is not ("queued" or "running"));
                Assert.Equal("running", midway.Status);
            }
            await using (var db = Database.Open(dir))
            {
                long checkpoint = (await db.Checkpoints.SingleAsync(c => c.RunId == id)).Step;
                Assert.True(checkpoint > cap, $"checkpoint at {checkpoint}");
                // Shorten the run (the spec is read again at the resume) so the reference below is the same run whole.
                epochs = (int)(checkpoint / 280) + 3;
                var run = await db.Runs.SingleAsync(r => r.Id == id);
                run.SpecJson = run.SpecJson.Replace("\"epochs\":400", $"\"epochs\":{epochs}");
                await db.SaveChangesAsync();
            }
            await using (var second = new ServiceFactory(dir, settings))
                Assert.Equal("succeeded", (await second.CreateClient().WaitAsync(id)).Status);

            await using var reference = new ServiceFactory();
            var client2 = reference.CreateClient();
            var full = await client2.WaitAsync((await client2.SubmitAsync(ManySteps(epochs))).Id);
            AssertSameRollups(await RollupsAsync(reference.DataDirectory, full.Id), await RollupsAsync(dir, id));
        }
        finally
        {
            ServiceFactory.DeleteDirectory(dir);
        }
    }
}
