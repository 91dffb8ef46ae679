using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using TrainingService.Api.Contracts;
using TrainingService.Data;

namespace TrainingService.Api.Rollups;

/// <summary>
/// A run's rollups as its steps are stored. Only the finest level sees every step: steps are contiguous from 1, so a
/// level-0 bucket is complete at its 16th step; it is then finished (kept to write) and merged into its parent, which is
/// finished in turn at its 8th child, and so on. A step thus costs one bucket update whatever the number of levels.
/// <c>_closed[k]</c> is level k's open bucket without its open child; the full open bucket of each level is put
/// together at a flush. Each flush upserts the buckets finished since the last commit and every level's open bucket,
/// in the flush's transaction; what is pending is cleared only once that transaction has committed, so a retried flush
/// writes the same rows again (an upsert of whole buckets: idempotent).
/// </summary>
public sealed class RollupWriter(long runId)
{
    /// <summary>Rows at this level hold the level-0 bucket open at the run's stored checkpoint, written with it: a resume
    /// starts from it, needing no raw rows (which may be thinned).</summary>
    public const int SnapshotLevel = 100;

    private RollupBucket? _open0;
    private readonly RollupBucket?[] _closed = new RollupBucket?[RollupLadder.Levels];
    private readonly List<RollupBucket> _finished = [];
    private RollupBucket? _snapshot;

    /// <summary>Rows the next <see cref="WriteAsync"/> writes, about (for the run's storage estimate).</summary>
    public int PendingRows => _finished.Count + RollupLadder.Levels + (_snapshot is null ? 0 : 1);

    public void Add(StepPoint step)
    {
        _open0 ??= new RollupBucket(0, RollupLadder.BucketOf(step.Step, 0));
        _open0.Add(step);
        if (_open0.Count == RollupLadder.Size(0))
        {
            Finish(_open0);
            _open0 = null;
        }
    }

    /// <summary>A complete bucket: keep it to write, and merge it into its parent (finishing the parent when that is
    /// complete too).</summary>
    private void Finish(RollupBucket bucket)
    {
        _finished.Add(bucket);
        int level = bucket.Level + 1;
        if (level >= RollupLadder.Levels) return;
        var parent = _closed[level] ??= new RollupBucket(level, RollupLadder.BucketOf(bucket.FirstStep, level));
        parent.Merge(bucket);
        if (parent.Count == RollupLadder.Size(level))
        {
            Finish(parent);
            _closed[level] = null;
        }
    }

    /// <summary>Every level's open bucket with all its steps: its finished children and its open child.</summary>
    private List<RollupBucket> OpenBuckets()
    {
        var open = new List<RollupBucket>(RollupLadder.Levels);
        RollupBucket? child = _open0;
        if (child is not null) open.Add(child);
        for (int level = 1; level < RollupLadder.Levels; level++)
        {
            var closed = _closed[level];
            if (closed is null && child is null) continue;
            var full = closed?.CopyAs(level, closed.Index) ?? new RollupBucket(level, RollupLadder.BucketOf(child!.FirstStep, level));
            if (child is not null) full.Merge(child);
            open.Add(full);
            child = full;
        }
        return open;
    }

    /// <summary>The steps added so far are the run's checkpoint (an epoch end whose checkpoint the next flush stores):
    /// keep the open level-0 bucket as it is now, to be written with it.</summary>
    public void Checkpoint() => _snapshot = _open0?.CopyAs(SnapshotLevel, _open0.Index);

    /// <summary>
    /// Before the first flush: makes the stored rollups agree with the stored steps (a resume deleted the steps after
    /// its checkpoint) and rebuilds the open buckets the next steps extend. Rows starting after the last stored step go.
    /// The level-0 bucket holding that step is taken as stored when it ends there, else from the checkpoint's snapshot
    /// (a resume), else from its raw rows (at most 16); each higher level's finished children are read back (at most 7
    /// rows a level). A run with steps but no rollups at all (stored before rollups existed) is rolled up whole.
    /// </summary>
    public async Task SeedAsync(TrainingDbContext db, CancellationToken ct = default)
    {
        // From scratch each time: a seed that failed half-way is simply retried.
        _open0 = null;
        Array.Clear(_closed);
        _finished.Clear();
        _snapshot = null;
        long last = await db.StepMetrics.Where(m => m.RunId == runId).MaxAsync(m => (long?)m.Step, ct) ?? 0;
        await db.StepRollups.Where(r => r.RunId == runId && r.FirstStep > last).ExecuteDeleteAsync(ct);
        if (last == 0) return;
        if (!await db.StepRollups.AnyAsync(r => r.RunId == runId && r.Level < SnapshotLevel, ct))
        {
            await RollupBackfill.RebuildAsync(db, runId, this, ct);
            return;
        }
        long index0 = RollupLadder.BucketOf(last, 0);
        var stored = await db.StepRollups.AsNoTracking()
            .Where(r => r.RunId == runId && (r.Level == 0 || r.Level == SnapshotLevel) && r.Bucket == index0 && r.LastStep == last)
            .OrderBy(r => r.Level).FirstOrDefaultAsync(ct);
        _open0 = stored is not null ? RollupBucket.FromEntity(stored).CopyAs(0, index0) : new RollupBucket(0, index0);
        if (stored is null)
        {
            long first = RollupLadder.FirstStepOf(index0, 0);
            var raw = await db.StepMetrics.AsNoTracking().Where(m => m.RunId == runId && m.Step >= first && m.Step <= last)
                .OrderBy(m => m.Step).ToListAsync(ct);
            foreach (var m in raw) _open0.Add(StepPoint.From(m));
        }
        if (_open0.Count == RollupLadder.Size(0)) _open0 = null; // complete and stored: its parent reads it back below
        for (int level = 1; level < RollupLadder.Levels; level++)
        {
            // The complete children of the bucket holding `last` (a row cut by the resume is not complete: LastStep > last).
            long index = RollupLadder.BucketOf(last, level);
            long firstChild = RollupLadder.BucketOf(RollupLadder.FirstStepOf(index, level), level - 1);
            long lastChild = RollupLadder.BucketOf(last, level - 1);
            int childSize = (int)RollupLadder.Size(level - 1);
            var children = await db.StepRollups.AsNoTracking()
                .Where(r => r.RunId == runId && r.Level == level - 1 && r.Bucket >= firstChild && r.Bucket <= lastChild
                    && r.LastStep <= last && r.Count == childSize)
                .OrderBy(r => r.Bucket).ToListAsync(ct);
            if (children.Count == 0) continue;
            var closed = new RollupBucket(level, index);
            foreach (var r in children) closed.Merge(RollupBucket.FromEntity(r));
            if (closed.Count < RollupLadder.Size(level)) _closed[level] = closed; // else complete and stored
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await WriteAsync(db, ct);
        await tx.CommitAsync(ct);
        Committed();
    }

    /// <summary>Upserts the finished buckets, every level's open one (and the checkpoint's snapshot) inside the current
    /// transaction of <paramref name="db"/>.</summary>
    public async Task WriteAsync(TrainingDbContext db, CancellationToken ct = default)
    {
        if (_snapshot is not null)
            await db.StepRollups.Where(r => r.RunId == runId && r.Level >= SnapshotLevel).ExecuteDeleteAsync(ct);
        var rows = new List<RollupBucket>(_finished.Count + RollupLadder.Levels + 3);
        rows.AddRange(_finished);
        rows.AddRange(OpenBuckets());
        if (_snapshot is not null) rows.Add(_snapshot);
        if (rows.Count == 0) return;
        await RollupSql.UpsertAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(),
            rows.ConvertAll(b => b.ToEntity(runId)), ct);
    }

    /// <summary>What was pending is stored: forget it (the open buckets stay open in memory).</summary>
    public void Committed()
    {
        _finished.Clear();
        _snapshot = null;
    }
}
