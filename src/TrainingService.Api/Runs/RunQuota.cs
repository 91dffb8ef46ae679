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

    /// <summary>A 429 problem naming the limit, or null when the client may queue another run.</summary>
    public async Task<ProblemHttpResult?> RefuseAsync(string client, TrainingDbContext db, CancellationToken ct)
    {
        var o = options.Value;
        int queued = await db.Runs.CountAsync(r => r.Status == RunStatus.Queued, ct);
        if (queued >= o.MaxQueuedRuns)
            return TooMany($"the queue is full: {queued} runs are waiting (limit {o.MaxQueuedRuns}); submit again once some have started");
        if (!_queuedBy.TryGetValue(client, out var mine) || mine.Count < o.MaxQueuedRunsPerClient) return null;
        var ids = mine.Keys.ToList();
        var waiting = await db.Runs.Where(r => ids.Contains(r.Id) && r.Status == RunStatus.Queued).Select(r => r.Id).ToListAsync(ct);
        foreach (long id in ids.Except(waiting)) mine.TryRemove(id, out _);
        return waiting.Count >= o.MaxQueuedRunsPerClient
            ? TooMany($"you already have {waiting.Count} runs waiting in the queue (limit {o.MaxQueuedRunsPerClient} per client); submit again once some have started, or cancel some")
            : null;
    }

    public void Queued(string client, long runId) => _queuedBy.GetOrAdd(client, _ => new())[runId] = 0;

    private static ProblemHttpResult TooMany(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests");
}
