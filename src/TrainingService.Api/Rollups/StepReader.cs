using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Data;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Rollups;

/// <summary>
/// A run's steps over <c>[from, to]</c> thinned to at most <c>maxPoints</c>, at a cost bounded by <c>maxPoints</c>
/// rather than by the run's length. A range that fits is read raw. Otherwise the coarsest rollup level that still has at
/// least <c>maxPoints / 2</c> buckets over the range is read (at most about <c>4·maxPoints</c> rows, the factor between
/// levels), its buckets merged in order into at most <c>maxPoints − 1</c> points (each with its envelope), and the
/// range's last raw step appended, so a read up to the newest step always ends with it. A range shorter than the finest
/// level allows (fewer than <c>8·maxPoints</c> steps), or a run not rolled up yet, is thinned from its raw rows by the
/// min/max downsampler instead. Bucket points are aligned to their level: the first and last may reach a little
/// outside the range.
/// </summary>
public static class StepReader
{
    public static async Task<IReadOnlyList<StepPoint>> ReadAsync(TrainingDbContext db, long runId, long from, long? to, int maxPoints, CancellationToken ct)
    {
        from = Math.Max(from, 1);
        long last = await db.StepMetrics.Where(m => m.RunId == runId).MaxAsync(m => (long?)m.Step, ct) ?? 0;
        long until = Math.Min(to ?? last, last);
        if (until < from) return [];
        long span = until - from + 1;
        if (span <= maxPoints) return await RawAsync(db, runId, from, until, ct);

        int level = RollupLadder.CoarsestWithAtLeast(span, Math.Max(1, maxPoints / 2));
        if (level < 0 || !await db.StepRollups.AnyAsync(r => r.RunId == runId && r.Level == 0, ct))
            return Downsampler.MinMax(await RawAsync(db, runId, from, until, ct), maxPoints);

        long firstBucket = RollupLadder.BucketOf(from, level), lastBucket = RollupLadder.BucketOf(until, level);
        var rows = await db.StepRollups.AsNoTracking()
            .Where(r => r.RunId == runId && r.Level == level && r.Bucket >= firstBucket && r.Bucket <= lastBucket)
            .OrderBy(r => r.Bucket).ToListAsync(ct);
        // The range's last raw row (past Training__MaxStoredStepsPerRun not every step has one).
        var newest = await db.StepMetrics.AsNoTracking().Where(m => m.RunId == runId && m.Step <= until).OrderByDescending(m => m.Step).FirstAsync(ct);

        // Merge runs of consecutive buckets into at most maxPoints - 1 groups (the last slot is the newest raw step).
        int groups = Math.Max(1, maxPoints - 1);
        var points = new List<StepPoint>(Math.Min(groups, rows.Count) + 1);
        for (int g = 0; g < groups; g++)
        {
            int start = (int)((long)rows.Count * g / groups), end = (int)((long)rows.Count * (g + 1) / groups);
            if (start >= end) continue;
            var merged = RollupBucket.FromEntity(rows[start]).CopyAs(level, rows[start].Bucket);
            for (int i = start + 1; i < end; i++) merged.Merge(RollupBucket.FromEntity(rows[i]));
            points.Add(merged.ToPoint());
        }
        return WithLast(points, StepPoint.From(newest), maxPoints);
    }

    /// <summary>Ends the series with the range's last raw step.</summary>
    private static List<StepPoint> WithLast(List<StepPoint> points, StepPoint newest, int maxPoints)
    {
        if (points.Count >= maxPoints) points.RemoveAt(points.Count - 1);
        points.Add(newest);
        return points;
    }

    public static async Task<IReadOnlyList<StepPoint>> RawAsync(TrainingDbContext db, long runId, long from, long to, CancellationToken ct)
    {
        var rows = await db.StepMetrics.AsNoTracking().Where(m => m.RunId == runId && m.Step >= from && m.Step <= to).OrderBy(m => m.Step).ToListAsync(ct);
        return rows.ConvertAll(StepPoint.From);
    }

    /// <summary>Rows of one page of a raw read (≈ 1 MB of points).</summary>
    public const int RawPageRows = 4096;

    /// <summary>
    /// Every stored step of <c>[from, to]</c>, a page at a time (<see cref="StepPages"/>: a keyset query each), so memory
    /// holds one page however long the range, and no read transaction stays open while the client reads (a long-lived
    /// reader would keep SQLite's WAL from being checkpointed). The first page is read before this returns, so a
    /// database error is still an answer rather than a cut response. Steps a resume deletes between two pages are
    /// simply not in the answer, as with any later read.
    /// </summary>
    public static async Task<IAsyncEnumerable<StepPoint>> RawStreamAsync(TrainingDbContext db, long runId, long from, long to, CancellationToken ct)
    {
        var pages = StepPages.ReadAsync(db, runId, RawPageRows, from, to, ct).GetAsyncEnumerator(ct);
        bool any = await pages.MoveNextAsync();
        return Points(pages, any);
    }

    private static async IAsyncEnumerable<StepPoint> Points(IAsyncEnumerator<List<StepMetric>> pages, bool any)
    {
        await using (pages)
            for (bool more = any; more; more = await pages.MoveNextAsync())
                foreach (var row in pages.Current) yield return StepPoint.From(row);
    }
}
