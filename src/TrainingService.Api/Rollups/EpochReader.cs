using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Data;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Rollups;

/// <summary>
/// A run's epochs for a read with <c>maxPoints</c>: all of them when there are at most that many; otherwise the epochs
/// are cut into <c>maxPoints / 2</c> equal buckets, each keeping its lowest- and highest-loss epoch (validation loss,
/// else train loss; in epoch order), and the last epoch is always kept, as <see cref="Downsampler"/> does for steps.
/// Kept epochs are whole rows (no averaging). One streamed pass over the run's rows through <see cref="MinMaxBuckets{T}"/>:
/// memory holds the answer, not the run (the overview of a 100,000-epoch run was 21 MB of epochs).
/// </summary>
public static class EpochReader
{
    public static async Task<List<EpochPoint>> ReadAsync(TrainingDbContext db, long runId, int maxPoints, CancellationToken ct)
    {
        int count = await Rows(db, runId).CountAsync(ct);
        if (count <= maxPoints) return await AllAsync(db, runId, ct);
        var buckets = new MinMaxBuckets<EpochMetric>(count, maxPoints, m => m.ValidationLoss ?? m.TrainLoss);
        await foreach (var m in Rows(db, runId).AsAsyncEnumerable().WithCancellation(ct)) buckets.Add(m);
        return buckets.Finish().ConvertAll(EpochPoint.From);
    }

    /// <summary>Every epoch of the run (at most <c>SpecLimits.MaxEpochs</c>).</summary>
    public static async Task<List<EpochPoint>> AllAsync(TrainingDbContext db, long runId, CancellationToken ct) =>
        (await Rows(db, runId).ToListAsync(ct)).ConvertAll(EpochPoint.From);

    private static IQueryable<EpochMetric> Rows(TrainingDbContext db, long runId) =>
        db.EpochMetrics.AsNoTracking().Where(m => m.RunId == runId).OrderBy(m => m.Epoch);
}
