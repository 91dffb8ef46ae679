using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Contracts;
using TrainingService.Api.Hosting;
using TrainingService.Api.Live;
using TrainingService.Api.Worker;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Sweeps;

namespace TrainingService.Api.Sweeps;

/// <summary>
/// Keeps every running sweep going, on every instance: about twice a second, and at once when a run trained here
/// stops or a trial is pruned, for each sweep in
/// state running it proposes trials with the sweep's sampler — given the ended trials' metrics — until <c>parallel</c>
/// are queued or running or the sweep has made all its trials, and marks the sweep finished once they have all ended.
/// All of it is read from the database each time, so a restart (or another instance) carries on where it stopped;
/// <see cref="TrialCreation"/> makes each index once. Then it pushes <c>sweep</c> to this instance's hub connections
/// watching a sweep whose view changed (a trial created, ended or pruned; the sweep ended), whichever instance caused it.
/// </summary>
public sealed class SweepCoordinator(
    IDbContextFactory<TrainingDbContext> dbf,
    IRunEvents events,
    RunRegistry registry,
    LiveFanout fanout,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    IOptions<TrainingOptions> options,
    ILogger<SweepCoordinator> log) : BackgroundService
{
    public const string SweepMethod = "sweep";
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Dictionary<long, string> _pushed = [];

    public void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { } // already woken
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        // A run trained here ended: maybe a trial, whose successor need not wait for the next round.
        registry.Stopped += _ => Wake();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var running = await RunningAsync(stopping);
                foreach (long id in running) await AdvanceAsync(id, stopping);
                await PublishAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested) { return; }
            catch (Exception e) when (StoreFaults.IsTransient(e))
            {
                // The database is out: the next round tries again (the worker and readiness report the outage).
                log.LogDebug("sweeps: a round failed ({Reason}); retrying", StoreFaults.Reason(e));
            }
            catch (Exception e)
            {
                log.LogWarning(e, "sweeps: a round failed; retrying");
            }
            try { await _wake.WaitAsync(Interval, stopping); }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task<List<long>> RunningAsync(CancellationToken ct)
    {
        await using var db = await dbf.CreateDbContextAsync(ct);
        return await db.Sweeps.AsNoTracking().Where(s => s.State == SweepState.Running).OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
    }

    /// <summary>Tops the sweep up to <c>parallel</c> unfinished trials, or finishes it. One sweep at a time in this process.</summary>
    public async Task AdvanceAsync(long sweepId, CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        try
        {
            await using var db = await dbf.CreateDbContextAsync(ct);
            var sweep = await db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sweepId, ct);
            if (sweep is null || sweep.State != SweepState.Running) return;
            var d = SweepDefinition.Read(sweep.DefinitionJson);
            var trials = await SweepReads.TrialsAsync(db, sweepId, ct);
            int unfinished = trials.Count(t => !t.Ended), next = trials.Count;
            bool more = next < d.TrialLimit;
            if (more && unfinished < sweep.Parallel)
            {
                var sampler = SweepSamplers.Create(d.Method, d.Parameters, unchecked((ulong)sweep.Seed));
                var history = trials.Where(t => t.Ended).Select(t => t.Observation(d)).ToList();
                var limits = options.Value.SubmissionLimits();
                while (more && unfinished < sweep.Parallel)
                {
                    if (sampler.Suggest(next, history) is not { } values) { more = false; break; } // a grid used up
                    var run = await TrialCreation.CreateAsync(dbf, sweep, d, next, values, options.Value.DataDirectory, limits, options.Value.MaxQueuedRuns, ct);
                    if (run is null) return; // cancelled, another instance made it, or the queue is full: the next round reads again
                    await events.StatusChangedAsync(run.Id, RunDto.From(run));
                    if (run.Status == RunStatus.Queued) { await events.QueuedAsync(run.Id); unfinished++; }
                    more = ++next < d.TrialLimit;
                }
            }
            if (!more && unfinished == 0) await FinishAsync(db, sweepId, ct);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Every trial has ended and no more are to come: the sweep is finished (once, whoever gets there first).</summary>
    private async Task FinishAsync(TrainingDbContext db, long sweepId, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        int changed = await db.Sweeps.Where(s => s.Id == sweepId && s.State == SweepState.Running)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, SweepState.Finished).SetProperty(s => s.FinishedAt, now), ct);
        if (changed == 1) log.LogInformation("sweep {SweepId} finished", sweepId);
    }

    /// <summary>Pushes each watched sweep whose view differs from what this instance last pushed.</summary>
    private async Task PublishAsync(CancellationToken ct)
    {
        var watched = fanout.WatchedSweeps();
        foreach (long gone in _pushed.Keys.Except(watched).ToList()) _pushed.Remove(gone);
        if (watched.Count == 0) return;
        await using var db = await dbf.CreateDbContextAsync(ct);
        foreach (long id in watched)
        {
            if (await SweepReads.FindAsync(db, id, ct) is not { } dto) continue;
            // As REST writes it (a spec without its unset fields), so a client can take either.
            var element = JsonSerializer.SerializeToElement(dto, json.Value.SerializerOptions);
            string text = element.GetRawText();
            if (_pushed.TryGetValue(id, out string? last) && last == text) continue;
            _pushed[id] = text;
            fanout.ToSweep(id, SweepMethod, element);
        }
    }
}
