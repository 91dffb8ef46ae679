using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using TrainingService.Api.Runs;
using TrainingService.Data;

namespace TrainingService.Api.Rollups;

/// <summary>
/// A run's rollups as its steps are stored: one open bucket per level in memory; each flush upserts the buckets that
/// changed since the last commit (those completed, and the open ones) in the flush's transaction. Steps are added once,
/// as the pump takes them; the pending set is cleared only once its transaction has committed, so a retried flush
/// writes the same rows again (an upsert of the whole bucket: idempotent).
/// </summary>
public sealed class RollupWriter(long runId)
{
    /// <summary>Rows at level <c>SnapshotLevel + k</c> hold level k's open bucket as it was at the run's stored checkpoint,
    /// written with it: a resume starts from them, needing no raw rows (which may be thinned).</summary>
    public const int SnapshotLevel = 100;

    private readonly RollupBucket?[] _open = new RollupBucket?[RollupLadder.Levels];
    private readonly Dictionary<(int, long), RollupBucket> _pending = [];
    private RollupBucket[]? _snapshot;

    /// <summary>Rows the next <see cref="WriteAsync"/> writes (for the run's storage estimate).</summary>
    public int PendingRows => _pending.Count + (_snapshot?.Length ?? 0);

    public void Add(StepPoint step)
    {
        for (int level = 0; level < RollupLadder.Levels; level++)
        {
            long index = RollupLadder.BucketOf(step.Step, level);
            var open = _open[level];
            if (open is null || open.Index != index) _open[level] = open = new RollupBucket(level, index);
            open.Add(step);
            _pending[(level, index)] = open;
        }
    }

    /// <summary>The steps added so far are the run's checkpoint (an epoch end whose checkpoint the next flush stores):
    /// keep the open buckets as they are now, to be written with it.</summary>
    public void Checkpoint() =>
        _snapshot = _open.Where(b => b is not null).Select(b => b!.CopyAs(SnapshotLevel + b.Level, b.Index)).ToArray();

    /// <summary>
    /// Before the first flush: makes the stored rollups agree with the stored steps (a resume deleted the steps after
    /// its checkpoint) and opens the buckets the next steps extend. Rows starting after the last stored step go. Each
    /// level's bucket holding that step is taken as stored when it ends there, else from the checkpoint's snapshot of
    /// it (a resume), else recomputed from the level below (level 0 from at most 16 raw rows); then rewritten. A run
    /// with steps but no rollups at all (stored before rollups existed) is rolled up whole.
    /// </summary>
    public async Task SeedAsync(TrainingDbContext db, CancellationToken ct = default)
    {
        // From scratch each time: a seed that failed half-way is simply retried.
        Array.Clear(_open);
        _pending.Clear();
        _snapshot = null;
        long last = await db.StepMetrics.Where(m => m.RunId == runId).MaxAsync(m => (long?)m.Step, ct) ?? 0;
        await db.StepRollups.Where(r => r.RunId == runId && r.FirstStep > last).ExecuteDeleteAsync(ct);
        if (last == 0) return;
        if (!await db.StepRollups.AnyAsync(r => r.RunId == runId && r.Level < SnapshotLevel, ct))
        {
            await RollupBackfill.RebuildAsync(db, runId, this, ct);
            return;
        }
        RollupBucket? below = null;
        for (int level = 0; level < RollupLadder.Levels; level++)
        {
            long index = RollupLadder.BucketOf(last, level);
            long first = RollupLadder.FirstStepOf(index, level);
            var open = new RollupBucket(level, index);
            var stored = await db.StepRollups.AsNoTracking()
                .Where(r => r.RunId == runId && (r.Level == level || r.Level == SnapshotLevel + level) && r.Bucket == index && r.LastStep == last)
                .OrderBy(r => r.Level).FirstOrDefaultAsync(ct);
            if (stored is not null) open = RollupBucket.FromEntity(stored).CopyAs(level, index);
            else if (level == 0)
            {
                var raw = await db.StepMetrics.AsNoTracking().Where(m => m.RunId == runId && m.Step >= first && m.Step <= last)
                    .OrderBy(m => m.Step).ToListAsync(ct);
                foreach (var m in raw) open.Add(StepPoint.From(m));
            }
            else
            {
                // The complete buckets of the level below inside this one, then the open one below (which ends at last).
                long belowFirst = RollupLadder.BucketOf(first, level - 1);
                var complete = await db.StepRollups.AsNoTracking()
                    .Where(r => r.RunId == runId && r.Level == level - 1 && r.Bucket >= belowFirst && r.Bucket < below!.Index)
                    .OrderBy(r => r.Bucket).ToListAsync(ct);
                foreach (var r in complete) open.Merge(RollupBucket.FromEntity(r));
                open.Merge(below!);
            }
            _open[level] = open;
            _pending[(level, index)] = open;
            below = open;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await WriteAsync(db, ct);
        await tx.CommitAsync(ct);
        Committed();
    }

    /// <summary>Upserts the pending buckets inside the current transaction of <paramref name="db"/>.</summary>
    public async Task WriteAsync(TrainingDbContext db, CancellationToken ct = default)
    {
        if (_snapshot is not null)
            await db.StepRollups.Where(r => r.RunId == runId && r.Level >= SnapshotLevel).ExecuteDeleteAsync(ct);
        var rows = _snapshot is null ? _pending.Values.ToList() : [.. _pending.Values, .. _snapshot];
        if (rows.Count == 0) return;
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        foreach (var chunk in rows.Chunk(RollupSql.RowsPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            RollupSql.BuildUpsert(command, chunk.Select(b => b.ToEntity(runId)).ToList());
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The pending buckets are stored: forget them (the open ones stay open in memory).</summary>
    public void Committed()
    {
        _pending.Clear();
        _snapshot = null;
    }
}
