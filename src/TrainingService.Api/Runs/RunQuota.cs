using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Runs;

/// <summary>
/// How many runs may wait in the queue: <see cref="TrainingOptions.MaxQueuedRuns"/> in all, and
/// <see cref="TrainingOptions.MaxQueuedRunsPerClient"/> per client (its API key, else its IP address). Which client
/// queued which run is remembered in this process only (the database has no owner column): after a restart, runs
/// queued before it count toward the total but not toward any client.
/// Admission is check-and-insert in one step, so parallel submissions cannot overshoot either limit: one admission at
/// a time in this process, inside a transaction that also orders it against other nodes (SQLite's
/// <c>BEGIN IMMEDIATE</c> holds the write lock; on PostgreSQL a transaction-scoped advisory lock).
/// </summary>
public sealed class RunQuota(IOptions<TrainingOptions> options, TrainingStore store)
{
    /// <summary>The advisory lock key of queue admission (any constant no other lock in the database uses).</summary>
    private const long AdmissionLock = 0x5452_4149_4E51_5545; // "TRAINQUE"

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, byte>> _queuedBy = new();
    private readonly SemaphoreSlim _admission = new(1, 1);

    /// <summary>Queues <paramref name="adding"/> runs for <paramref name="client"/> when both limits allow: a 429 problem
    /// naming the limit, or null once <paramref name="insert"/> (which saves the runs and returns their ids) has run
    /// and committed.</summary>
    public async Task<ProblemHttpResult?> AdmitAsync(
        string client, TrainingDbContext db, int adding, Func<CancellationToken, Task<IEnumerable<long>>> insert, CancellationToken ct)
    {
        await _admission.WaitAsync(ct);
        try
        {
            return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                if (store.IsPostgres) await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [AdmissionLock], ct);
                if (await RefuseAsync(client, db, adding, ct) is { } refused) return refused;
                var ids = (await insert(ct)).ToList();
                await tx.CommitAsync(ct);
                foreach (long id in ids) _queuedBy.GetOrAdd(client, _ => new())[id] = 0;
                return null;
            });
        }
        finally
        {
            _admission.Release();
        }
    }

    private async Task<ProblemHttpResult?> RefuseAsync(string client, TrainingDbContext db, int adding, CancellationToken ct)
    {
        var o = options.Value;
        int queued = await db.Runs.CountAsync(r => r.Status == RunStatus.Queued, ct);
        if (queued + adding > o.MaxQueuedRuns)
            return TooMany($"the queue is full: {queued} runs are waiting (limit {o.MaxQueuedRuns}); submit again once some have started");
        if (!_queuedBy.TryGetValue(client, out var mine) || mine.Count + adding <= o.MaxQueuedRunsPerClient)
            return adding > o.MaxQueuedRunsPerClient ? TooMany($"{adding} runs at once exceed the limit of {o.MaxQueuedRunsPerClient} queued runs per client") : null;
        var ids = mine.Keys.ToList();
        var waiting = await db.Runs.Where(r => ids.Contains(r.Id) && r.Status == RunStatus.Queued).Select(r => r.Id).ToListAsync(ct);
        foreach (long id in ids.Except(waiting)) mine.TryRemove(id, out _);
        return waiting.Count + adding > o.MaxQueuedRunsPerClient
            ? TooMany($"you already have {waiting.Count} runs waiting in the queue (limit {o.MaxQueuedRunsPerClient} per client); submit again once some have started, or cancel some")
            : null;
    }

    private static ProblemHttpResult TooMany(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests");
}
