using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Data;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Rollups;

/// <summary>
/// A run's epochs for a read with <c>maxPoints</c>: all of them when there are at most that many; otherwise the epochs
/// are cut into <c>maxPoints / 2</c> equal buckets, each keeping its lowest- and highest-loss epoch (validation loss,
/// else train loss; in epoch order), and the last epoch is always kept, as <see cref="Downsampler"/> does for steps.
/// Kept epochs are whole rows (no averaging). One streamed pass over the run's rows: memory holds the answer, not the
/// run (the overview of a 100,000-epoch run was 21 MB of epochs).
/// </summary>
public static class EpochReader
{
    public static async Task<List<EpochPoint>> ReadAsync(TrainingDbContext db, long runId, int maxPoints, CancellationToken ct)
    {
        var rows = db.EpochMetrics.AsNoTracking().Where(m => m.RunId == runId).OrderBy(m => m.Epoch);
        int count = await rows.CountAsync(ct);
        if (count <= maxPoints) return (await rows.ToListAsync(ct)).ConvertAll(EpochPoint.From);

        int buckets = Math.Max(1, maxPoints / 2);
        var kept = new List<EpochMetric>(maxPoints + 1);
        EpochMetric? lo = null, hi = null, last = null;
        long index = 0, end = (long)count / buckets;
        int bucket = 0;
        await foreach (var m in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            // Epochs stored after the count (a running run) join the last bucket.
            if (index >= end && bucket < buckets - 1)
            {
                Keep(kept, lo, hi);
                lo = hi = null;
                bucket++;
                end = (long)count * (bucket + 1) / buckets;
            }
            // NaN never wins a comparison, so a diverged epoch cannot hide the bucket's real extremes.
            if (lo is null || Key(m) < Key(lo)) lo = m;
            if (hi is null || Key(m) > Key(hi)) hi = m;
            last = m;
            index++;
        }
        Keep(kept, lo, hi);
        if (last is not null && !ReferenceEquals(kept[^1], last))
        {
            if (kept.Count >= maxPoints) kept.RemoveAt(kept.Count - 1);
            kept.Add(last);
        }
        return kept.ConvertAll(EpochPoint.From);
    }

    private static double Key(EpochMetric m) => m.ValidationLoss ?? m.TrainLoss;

    private static void Keep(List<EpochMetric> kept, EpochMetric? lo, EpochMetric? hi)
    {
        if (lo is null || hi is null) return;
        kept.Add(lo.Epoch <= hi.Epoch ? lo : hi);
        if (!ReferenceEquals(lo, hi)) kept.Add(lo.Epoch <= hi.Epoch ? hi : lo);
    }
}
