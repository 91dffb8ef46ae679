using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Api.Worker;
using TrainingService.Data;

namespace TrainingService.Api.Live;

/// <summary>
/// Many processes on one PostgreSQL: every event is a NOTIFY that <see cref="PostgresListener"/> on each node turns into
/// hub pushes (API nodes) or wake-ups and cancels (worker nodes). Payloads stay tiny (NOTIFY allows under 8000 bytes):
/// a batch announces only its run and step/epoch range, and API nodes read the rows from the tables.
/// </summary>
public sealed class PostgresRunEvents(RunRegistry registry, LiveUpdates live, IDbContextFactory<TrainingDbContext> dbf) : IRunEvents
{
    public const string Steps = "training_steps";
    public const string Status = "training_status";
    public const string Cancel = "training_cancel";
    public const string Queue = "training_queue";

    public Task QueuedAsync(long runId) => NotifyAsync(Queue, Id(runId));

    /// <summary>Payload <c>runId firstStep lastStep firstEpoch lastEpoch</c>; 0 0 when the batch has no steps (or no epochs).</summary>
    public async Task BatchWrittenAsync(TrainingDbContext db, long runId, IReadOnlyList<StepPoint> steps, IReadOnlyList<EpochPoint> epochs)
    {
        string payload = string.Join(' ', runId,
            steps.Count > 0 ? steps[0].Step : 0, steps.Count > 0 ? steps[^1].Step : 0,
            epochs.Count > 0 ? epochs[0].Epoch : 0, epochs.Count > 0 ? epochs[^1].Epoch : 0);
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Steps}, {payload})");
    }

    public Task BatchCommittedAsync(long runId, StepPoint[] steps, EpochPoint[] epochs) => Task.CompletedTask;

    /// <summary>This process's hub only, as on SQLite (the grid is too large for a NOTIFY; API nodes serve it over REST).</summary>
    public Task BoundaryAsync(long runId, BoundaryPoint boundary) => live.BoundaryAsync(runId, boundary);

    public Task RegressionAsync(long runId, RegressionPoint fit) => live.RegressionAsync(runId, fit);

    public Task FiltersAsync(long runId, FiltersPoint filters) => live.FiltersAsync(runId, filters);

    /// <summary>Listeners read the run when the notification arrives (a payload could not hold it).</summary>
    public Task StatusChangedAsync(long runId, RunDto? run = null) => NotifyAsync(Status, Id(runId));

    public async Task CancelRequestedAsync(long runId)
    {
        registry.Cancel(runId); // trained here (role all): stop at once
        await NotifyAsync(Cancel, Id(runId));
    }

    private static string Id(long runId) => runId.ToString(CultureInfo.InvariantCulture);

    private async Task NotifyAsync(string channel, string payload)
    {
        await using var db = await dbf.CreateDbContextAsync();
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({channel}, {payload})");
    }
}
