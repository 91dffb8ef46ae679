using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Api.Hosting;
using TrainingService.Api.Rollups;
using TrainingService.Data;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Worker;

/// <summary>
/// Stores one <see cref="MetricBatch"/> in one transaction: the lease check and the run's progress, the raw step rows
/// (<see cref="StepRows"/>), the step rollups, the epoch rows and the checkpoint. A flush that meets a database blip is
/// retried whole (<see cref="StoreRetry"/>); past the outage bound it throws <see cref="StoreUnavailableException"/>.
/// </summary>
internal sealed class BatchWriter(long runId, string workerId, IDbContextFactory<TrainingDbContext> dbf, IRunEvents events, StoreRetry retry,
    RollupWriter rollups, long maxStoredSteps, CancellationToken stopping)
{
    /// <summary>Before the first batch: the stored rollups made to agree with the stored steps (<see cref="RollupWriter.SeedAsync"/>).</summary>
    public Task PrepareAsync() => retry.WriteAsync($"run {runId}: preparing step rollups", async () =>
    {
        await using var db = await dbf.CreateDbContextAsync();
        await rollups.SeedAsync(db);
    }, stopping);

    public Task WriteAsync(MetricBatch batch, List<EpochPoint> epochPoints)
    {
        bool again = false;
        return retry.WriteAsync($"run {runId}: storing metrics", () =>
        {
            bool maybeStored = again; // a failed commit may have committed all the same
            again = true;
            return StoreAsync(batch, epochPoints, maybeStored);
        }, stopping);
    }

    /// <summary>Past the cap, the batch's last step when it is kept only so that reads end with the newest step (it is
    /// neither a finest bucket's last step nor an epoch end): the next batch deletes it, so which raw rows a run keeps
    /// does not depend on where its flushes happened to fall.</summary>
    private long? _provisional;

    /// <summary>The raw rows to store: all up to <c>maxStoredSteps</c>; past it, each finest bucket's last step,
    /// every epoch end (a resume starts there) and the batch's last step (reads end with the newest).</summary>
    private List<StepPoint> StoredSteps(List<StepPoint> steps, List<EpochItem> epochs)
    {
        if (steps.Count == 0 || steps[^1].Step <= maxStoredSteps) return steps;
        var epochEnds = epochs.Select(e => e.Step).ToHashSet();
        return steps.Where((s, i) => s.Step <= maxStoredSteps || Thinned(s.Step, epochEnds) || i == steps.Count - 1).ToList();
    }

    private static bool Thinned(long step, HashSet<long> epochEnds) => step % RollupLadder.Base == 0 || epochEnds.Contains(step);

    /// <summary>The batch in one transaction. On a retry the batch may already be stored (the connection broke after
    /// the server committed): then only the lease is checked, nothing is written twice.</summary>
    private async Task StoreAsync(MetricBatch batch, List<EpochPoint> epochPoints, bool maybeStored)
    {
        var (steps, epochs) = (batch.Steps, batch.Epochs);
        await using (var db = await dbf.CreateDbContextAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            // Progress first: the UPDATE locks the run row, and changes nothing unless this worker still holds the lease.
            long step = batch.LastStep;
            int epoch = batch.LastEpoch;
            var stored = StoredSteps(steps, epochs);
            long bytes = StorageEstimate.Bytes(stored, rollups.PendingRows, epochs.Count);
            // An epoch's end may reach the pump a batch after its step: then the step stays (a resume starts there).
            bool dropPrevious = _provisional is { } p && !epochs.Any(e => e.Step == p);
            if (dropPrevious && stored.Count > 0) bytes -= StorageEstimate.Bytes([stored[0]], 0, 0); // the row deleted below
            long? thinnedAfter = step > maxStoredSteps ? maxStoredSteps : null;
            int owned = await db.Runs.Where(r => r.Id == runId && r.LeaseOwner == workerId)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Step, step).SetProperty(r => r.Epoch, epoch)
                    .SetProperty(r => r.StorageBytes, r => r.StorageBytes + bytes).SetProperty(r => r.RawStepsThinnedAfter, thinnedAfter));
            if (owned == 0) throw new LeaseLostException(runId);
            if (maybeStored && await StoredAsync(db, steps, epochs))
            {
                await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.StorageBytes, r => r.StorageBytes - bytes)); // counted then
                await tx.CommitAsync();
                rollups.Committed();
                Advance(steps, epochs);
                return;
            }
            if (dropPrevious)
                await db.StepMetrics.Where(m => m.RunId == runId && m.Step == _provisional).ExecuteDeleteAsync();
            await StepRows.InsertAsync(db, runId, stored);
            await rollups.WriteAsync(db);
            db.EpochMetrics.AddRange(epochs.Select(e => e.Point.ToEntity(runId)));
            await db.SaveChangesAsync();
            if (batch.Checkpoint is { } last) await WriteCheckpointAsync(db, last);
            await events.BatchWrittenAsync(db, runId, steps, epochPoints);
            await tx.CommitAsync();
        }
        rollups.Committed();
        Advance(steps, epochs);
    }

    /// <summary>After a commit: the batch's last step is the next provisional row, or there is none.</summary>
    private void Advance(List<StepPoint> steps, List<EpochItem> epochs)
    {
        long? newest = steps.Count > 0 ? steps[^1].Step : null;
        _provisional = newest > maxStoredSteps && !Thinned(newest.Value, epochs.Select(e => e.Step).ToHashSet()) ? newest : null;
    }

    /// <summary>Overwrite in place: loading the previous blob (megabytes for a large model) only to replace it costs as
    /// much again.</summary>
    private async Task WriteCheckpointAsync(TrainingDbContext db, CheckpointItem last)
    {
        var now = DateTime.UtcNow;
        int updated = await db.Checkpoints.Where(c => c.RunId == runId).ExecuteUpdateAsync(u => u
            .SetProperty(c => c.Epoch, last.Epoch).SetProperty(c => c.Step, last.Step)
            .SetProperty(c => c.Data, last.Data).SetProperty(c => c.CreatedAt, now));
        if (updated == 0)
        {
            db.Checkpoints.Add(new RunCheckpoint { RunId = runId, Epoch = last.Epoch, Step = last.Step, Data = last.Data, CreatedAt = now });
            await db.SaveChangesAsync();
        }
    }

    /// <summary>Whether the batch's last step (or, without steps, its last epoch) is stored: the batch went in whole or
    /// not at all. A batch of only the final checkpoint is an update in place, harmless to repeat.</summary>
    private Task<bool> StoredAsync(TrainingDbContext db, List<StepPoint> steps, List<EpochItem> epochs)
    {
        if (steps.Count > 0)
        {
            long last = steps[^1].Step;
            return db.StepMetrics.AnyAsync(m => m.RunId == runId && m.Step == last);
        }
        if (epochs.Count > 0)
        {
            int last = epochs[^1].Point.Epoch;
            return db.EpochMetrics.AnyAsync(m => m.RunId == runId && m.Epoch == last);
        }
        return Task.FromResult(false);
    }
}
