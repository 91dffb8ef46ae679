using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Data;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Rollups;

/// <summary>
/// Rollups for runs stored before they existed. At start-up (in the background, so the service is up at once) every
/// run that has steps but no rollups and is not queued or running is rolled up from its raw rows, in batches of
/// <see cref="Batch"/> steps, each batch one transaction: memory stays at one batch whatever the run's length, and an
/// interrupted backfill resumes with that run the next time (its rows are rebuilt from scratch). A run that resumes
/// training rolls itself up in its metric pump (<see cref="RollupWriter.SeedAsync"/>). Until a run is rolled up,
/// thinned reads of it fall back to reading its raw rows.
/// </summary>
public sealed class RollupBackfill(IDbContextFactory<TrainingDbContext> dbf, ILogger<RollupBackfill> log) : BackgroundService
{
    public const int Batch = 16_384;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var db = await dbf.CreateDbContextAsync(stoppingToken);
            var ids = await db.Runs.AsNoTracking()
                .Where(r => r.Status != RunStatus.Queued && r.Status != RunStatus.Running && r.Step > 0 && !db.StepRollups.Any(x => x.RunId == r.Id))
                .OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(stoppingToken);
            foreach (long id in ids)
            {
                await RebuildAsync(db, id, new RollupWriter(id), stoppingToken);
                db.ChangeTracker.Clear();
            }
            if (ids.Count > 0) log.LogInformation("rolled up the metrics of {Count} runs stored before rollups", ids.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (Exception e)
        {
            log.LogWarning(e, "rollup backfill stopped; it starts again at the next start-up, and reads of the runs left fall back to raw rows");
        }
    }

    /// <summary>Rolls one run up from its raw rows into <paramref name="writer"/> (which keeps the open buckets).</summary>
    public static async Task RebuildAsync(TrainingDbContext db, long runId, RollupWriter writer, CancellationToken ct)
    {
        await db.StepRollups.Where(r => r.RunId == runId).ExecuteDeleteAsync(ct);
        await foreach (var rows in StepPages.ReadAsync(db, runId, Batch, ct))
        {
            foreach (var m in rows) writer.Add(StepPoint.From(m));
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                await writer.WriteAsync(db, ct);
                await tx.CommitAsync(ct);
            }
            writer.Committed();
        }
    }
}
