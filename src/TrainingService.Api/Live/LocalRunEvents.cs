using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Api.Worker;
using TrainingService.Data;

namespace TrainingService.Api.Live;

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

    public Task BoundaryAsync(long runId, BoundaryPoint boundary) => live.BoundaryAsync(runId, boundary);

    public Task RegressionAsync(long runId, RegressionPoint fit) => live.RegressionAsync(runId, fit);

    public Task FiltersAsync(long runId, FiltersPoint filters) => live.FiltersAsync(runId, filters);

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
