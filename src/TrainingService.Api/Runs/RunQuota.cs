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
/// </summary>
public sealed class RunQuota(IOptions<TrainingOptions> options)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, byte>> _queuedBy = new();

    /// <summary>A 429 problem naming the limit, or null when the client may queue <paramref name="adding"/> more runs (a race queues several at once).</summary>
    public async Task<ProblemHttpResult?> RefuseAsync(string client, TrainingDbContext db, CancellationToken ct, int adding = 1)
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

    public void Queued(string client, long runId) => _queuedBy.GetOrAdd(client, _ => new())[runId] = 0;

    private static ProblemHttpResult TooMany(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests");
}
