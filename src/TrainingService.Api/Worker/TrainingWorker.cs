using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Worker;

/// <summary>
/// <c>Training__WorkerConcurrency</c> slots, each claiming the oldest queued run and training it. At start, runs
/// left <c>running</c> by a previous process (crash or shutdown) are resumed first. Stopping the host cancels the
/// sessions; they stay <c>running</c> and resume from their last epoch checkpoint next time.
/// </summary>
public sealed class TrainingWorker(
    RunQueue queue,
    RunExecutor executor,
    IDbContextFactory<TrainingDbContext> dbf,
    WorkerHealth health,
    IOptions<TrainingOptions> options,
    ILogger<TrainingWorker> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<long> _resumes = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkerEnabled) return; // an API-only node: runs stay queued for a worker node
        health.SetRunning(true);
        try
        {
            await using (var db = await dbf.CreateDbContextAsync(stoppingToken))
                foreach (long id in await db.Runs.Where(r => r.Status == RunStatus.Running).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(stoppingToken))
                    _resumes.Enqueue(id);
            var slots = Enumerable.Range(0, options.Value.WorkerConcurrency).Select(_ => Task.Run(() => SlotAsync(stoppingToken), CancellationToken.None));
            await Task.WhenAll(slots);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            health.SetRunning(false);
        }
    }

    private async Task SlotAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                long? runId = _resumes.TryDequeue(out long resume) ? resume : await ClaimOldestQueuedAsync(stoppingToken);
                if (runId is { } id) await executor.ExecuteAsync(id, stoppingToken);
                else await queue.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "worker slot error; retrying");
                await Task.Delay(Poll, CancellationToken.None);
            }
        }
    }

    /// <summary>The conditional UPDATE is the claim: of several slots (or processes) racing for a run, exactly one
    /// sees a row changed. SQLite runs the statement in its own write transaction.</summary>
    private async Task<long?> ClaimOldestQueuedAsync(CancellationToken ct)
    {
        await using var db = await dbf.CreateDbContextAsync(ct);
        while (true)
        {
            long? id = await db.Runs.Where(r => r.Status == RunStatus.Queued).OrderBy(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);
            if (id is null) return null;
            var now = DateTime.UtcNow;
            int claimed = await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Queued)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Running).SetProperty(r => r.StartedAt, now), ct);
            if (claimed == 1) return id;
        }
    }
}
