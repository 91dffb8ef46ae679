using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Runs;
using TrainingService.Api.Worker;
using TrainingService.Data;

namespace TrainingService.Api.Live;

/// <summary>
/// What other parts of the deployment must hear about: a run queued (wake a worker), a metric batch stored, a status
/// change (push to the hub), a cancel (stop the session wherever it trains). With SQLite everything happens in this
/// process (<see cref="LocalRunEvents"/>); with PostgreSQL it goes through NOTIFY to every node
/// (<see cref="PostgresRunEvents"/>, received by <see cref="PostgresListener"/>).
/// </summary>
public interface IRunEvents
{
    Task QueuedAsync(long runId);

    /// <summary>Inside the pump's flush transaction, after its rows are written (a NOTIFY is delivered at commit,
    /// so a listener always finds the rows it is told about).</summary>
    Task BatchWrittenAsync(TrainingDbContext db, long runId, IReadOnlyList<StepPoint> steps, IReadOnlyList<EpochPoint> epochs);

    /// <summary>After the flush committed.</summary>
    Task BatchCommittedAsync(long runId, StepPoint[] steps, EpochPoint[] epochs);

    /// <summary><paramref name="run"/>: the run as just written, when the caller has it (pushed as is where
    /// possible: a run just queued shows as queued even if a worker claimed it meanwhile).</summary>
    Task StatusChangedAsync(long runId, RunDto? run = null);

    Task CancelRequestedAsync(long runId);
}

/// <summary>One process (SQLite): wake the local slots, push to the local hub, cancel through the local registry.</summary>
public sealed class LocalRunEvents(RunQueue queue, RunRegistry registry, LiveUpdates live, IDbContextFactory<TrainingDbContext> dbf) : IRunEvents
{
    public Task QueuedAsync(long runId)
    {
        queue.Wake();
        return Task.CompletedTask;
    }

    public Task BatchWrittenAsync(TrainingDbContext db, long runId, IReadOnlyList<StepPoint> steps, IReadOnlyList<EpochPoint> epochs) => Task.CompletedTask;

    public async Task BatchCommittedAsync(long runId, StepPoint[] steps, EpochPoint[] epochs)
    {
        if (steps.Length > 0) await live.StepsAsync(runId, steps);
        foreach (var e in epochs) await live.EpochAsync(runId, e);
    }

    public async Task StatusChangedAsync(long runId, RunDto? run = null)
    {
        if (run is null)
        {
            await using var db = await dbf.CreateDbContextAsync();
            run = await db.FindDtoAsync(runId);
        }
        if (run is not null) await live.StatusAsync(run);
    }

    public Task CancelRequestedAsync(long runId)
    {
        registry.Cancel(runId);
        return Task.CompletedTask;
    }
}
