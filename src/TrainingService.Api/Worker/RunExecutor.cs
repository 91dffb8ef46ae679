using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Contracts;
using TrainingService.Api.Datasets;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Worker;

/// <summary>
/// Trains one claimed run: rebuilds the session from the stored (resolved) spec, restores the last checkpoint if
/// there is one and drops the metrics recorded after it, trains on a dedicated thread with a <see cref="MetricPump"/>
/// as observer, then stores the outcome. A shutdown leaves the run <c>running</c> (its lease released) so the next
/// start, or another worker, resumes it. While training, a heartbeat renews the run's lease; a run whose lease was
/// taken over stops here without writing anything (<see cref="RunClaims"/>). Database blips are retried
/// (<see cref="StoreRetry"/>); a database out for longer than <c>Training__StoreOutageSeconds</c> never fails the run:
/// training stops, the run is handed back as at shutdown and resumes from its checkpoint once the database is back.
/// </summary>
public sealed class RunExecutor(
    IDbContextFactory<TrainingDbContext> dbf,
    RunRegistry registry,
    RunClaims claims,
    IRunEvents events,
    WorkerHealth health,
    StoreRetry retry,
    IEnumerable<IEpochGates> gates,
    IOptions<TrainingOptions> options,
    ILogger<RunExecutor> log)
{
    /// <summary>Whatever goes wrong with one run stays with that run: it fails with the reason and the slot moves on.
    /// (At shutdown it stays <c>running</c> and resumes at the next start.) A database outage is not the run's fault:
    /// the run is handed back, and on SQLite, where no other process takes it, resumed here once the database is back.</summary>
    public async Task ExecuteAsync(long runId, CancellationToken stopping)
    {
        while (true)
        {
            try
            {
                await TrainOrFailAsync(runId, stopping);
                return;
            }
            catch (Exception e) when (StoreFaults.IsTransient(e))
            {
                if (stopping.IsCancellationRequested)
                {
                    log.LogWarning("run {RunId}: stopped by shutdown while the database was unavailable ({Reason}); it resumes from its last checkpoint", runId, StoreFaults.Reason(e));
                    return;
                }
                log.LogWarning("{Reason}; training stopped, run {RunId} is handed back and resumes from its last checkpoint once the database is back", e.Message, runId);
            }
            if (!await HandBackAsync(runId, stopping)) return;
            log.LogInformation("run {RunId}: the database is back; resuming it here", runId);
        }
    }

    private async Task TrainOrFailAsync(long runId, CancellationToken stopping)
    {
        try
        {
            await TrainAsync(runId, stopping);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested && !StoreFaults.IsTransient(e))
        {
            log.LogError(e, "run {RunId} failed unexpectedly", runId);
            await FinishAsync(runId, RunStatus.Failed, null, $"internal error: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Waits, retrying, until the database takes the hand-back (<see cref="RunClaims.HandBackAsync"/>); its
    /// answer, or false when the host stops first (the run then resumes at the next start).</summary>
    private async Task<bool> HandBackAsync(long runId, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                return await retry.WriteAsync($"run {runId}: handing it back", () => claims.HandBackAsync(runId), stopping);
            }
            catch (StoreUnavailableException) { } // still out: keep waiting
        }
        return false;
    }

    private async Task TrainAsync(long runId, CancellationToken stopping)
    {
        TrainingSession session;
        var (run, checkpoint) = await retry.ReadAsync($"run {runId}: loading it", () => LoadAsync(runId), stopping);
        // Deleted, cancelled or taken over since the claim.
        if (run is null || run.Status != RunStatus.Running || run.LeaseOwner != claims.WorkerId) return;
        health.Claimed(runId);
        try
        {
            RunSpec spec = SpecJson.Parse(run.SpecJson);
            _ = JitWarmup.Start(spec); // a fresh process compiles the step on another core while the data loads
            await using (var db = await dbf.CreateDbContextAsync(stopping)) // an upload made through another instance
                await UploadMirror.EnsureAsync(db, options.Value.DataDirectory, SpecDefaults.DatasetName(spec), stopping);
            session = TrainingSession.Create(spec, options.Value.DataDirectory);
            if (checkpoint is not null) session.Restore(Checkpoint.Deserialize(checkpoint));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A dataset removed or corrupted since the run was queued, a checkpoint that does not load, ...
            log.LogWarning(e, "run {RunId} cannot start", runId);
            await FinishAsync(runId, RunStatus.Failed, null, $"cannot start: {e.Message}");
            return;
        }
        await retry.WriteAsync($"run {runId}: dropping what followed its checkpoint", () => TrimAsync(runId, session), stopping);
        if (session.Step > 0) log.LogInformation("run {RunId} resumes at epoch {Epoch}, step {Step}", runId, session.Epoch, session.Step);

        using var active = registry.Register(runId, stopping);
        // A cancel that arrived between the claim and the registration found nothing to signal.
        if (await retry.ReadAsync($"run {runId}: reading its status", () => StatusAsync(runId), stopping) != RunStatus.Running) active.Cancel();
        await PushStatusAsync(runId);
        // A sweep's trial with hyperband may be stopped at its rung epochs; other runs train with the pump alone.
        var gate = await GateAsync(runId, stopping);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(runId, active, heartbeatStop.Token);

        var pump = new MetricPump(runId, claims.WorkerId, dbf, events, retry, TimeSpan.FromMilliseconds(options.Value.FlushIntervalMs),
            TimeSpan.FromMilliseconds(options.Value.CheckpointIntervalMs), stopping)
        {
            EpochStored = () => PushStatusAsync(runId),
            MaxStoredSteps = options.Value.MaxStoredStepsPerRun,
        };
        var pumping = pump.PumpAsync();
        ITrainingObserver observer = gate is null ? pump : new GatedObserver(pump, gate, active);
        TrainingResult? result = null;
        Exception? failure = null;
        try
        {
            result = await Task.Factory.StartNew(() =>
            {
                var r = session.Run(observer, active.Token);
                if (r.Outcome == RunOutcome.Succeeded) pump.OnFinished(session);
                return r;
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            pump.Complete();
            await pumping;
            heartbeatStop.Cancel();
            await heartbeat;
        }

        if (active.LeaseLost || pump.Failure is LeaseLostException || failure is ChannelClosedException { InnerException: LeaseLostException })
        {
            log.LogWarning("run {RunId}: lease lost at step {Step}; the worker that took it over carries on", runId, session.Step);
            return;
        }
        // The database stayed out past the bound: the engine stopped at its next step; ExecuteAsync hands the run back.
        if (pump.Failure is StoreUnavailableException outage) throw outage;
        if (pump.Failure is { } storage)
        {
            log.LogError(storage, "run {RunId}: storing metrics failed", runId);
            await FinishAsync(runId, RunStatus.Failed, null, $"storing metrics failed: {storage.Message}");
            return;
        }
        if (failure is not null)
        {
            log.LogError(failure, "run {RunId} failed", runId);
            await FinishAsync(runId, RunStatus.Failed, null, $"{failure.GetType().Name}: {failure.Message}");
            return;
        }
        if (result!.Outcome == RunOutcome.Cancelled && active.StoppedByShutdown)
        {
            await claims.ReleaseAsync(runId);
            log.LogInformation("run {RunId} stopped by shutdown at step {Step}; it resumes from its last checkpoint (here at the next start, or on another worker)", runId, session.Step);
            return;
        }
        string status = result.Outcome switch
        {
            RunOutcome.Succeeded => RunStatus.Succeeded,
            RunOutcome.Diverged => RunStatus.Diverged,
            _ => RunStatus.Cancelled,
        };
        string? model = result.Outcome == RunOutcome.Succeeded ? ModelFile.From(session).ToJson() : null;
        string? error = result.Outcome == RunOutcome.Cancelled && observer is GatedObserver { StopReason: { } stopped } ? stopped : result.Error;
        await FinishAsync(runId, status, result, error, model, session);
    }

    /// <summary>The first gate that watches this run's epochs, or null. A gate that cannot be read never stops a run.</summary>
    private async Task<IEpochGate?> GateAsync(long runId, CancellationToken stopping)
    {
        foreach (var g in gates)
        {
            try
            {
                if (await g.ForRunAsync(runId, stopping) is { } gate) return gate;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "run {RunId}: its epoch gate could not be read; it trains without", runId);
            }
        }
        return null;
    }

    /// <summary>Every <c>HeartbeatSeconds</c>: renew the lease; stop if it is gone (taken over, deleted) or the run
    /// was cancelled (a cancel NOTIFY missed while reconnecting still takes effect within one beat).</summary>
    private async Task HeartbeatAsync(long runId, RunRegistry.ActiveRun active, CancellationToken ct)
    {
        var beat = TimeSpan.FromSeconds(options.Value.HeartbeatSeconds);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(beat, ct);
                string? status = await claims.RenewAsync(runId, ct);
                if (status is null) active.LoseLease();
                else if (status != RunStatus.Running) active.Cancel();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e) when (StoreFaults.IsTransient(e))
            {
                log.LogWarning("run {RunId}: lease renewal failed ({Reason}); retrying", runId, StoreFaults.Reason(e));
            }
            catch (Exception e)
            {
                log.LogWarning(e, "run {RunId}: lease renewal failed; retrying", runId);
            }
        }
    }

    /// <summary>Stores the outcome if this worker still holds the run, retried through database blips (past the bound,
    /// <see cref="StoreUnavailableException"/>: the run is handed back and its resume stores the same outcome). The
    /// status only changes from <c>running</c>, so a repeat after a commit whose answer was lost changes nothing, and a
    /// cancel recorded meanwhile stands.</summary>
    private async Task FinishAsync(long runId, string status, TrainingResult? result, string? error, string? model = null, TrainingSession? session = null)
    {
        await retry.WriteAsync($"run {runId}: storing its outcome ({status})", () => StoreOutcomeAsync(runId, status, result, error, model, session));
        await PushStatusAsync(runId);
    }

    private async Task StoreOutcomeAsync(long runId, string status, TrainingResult? result, string? error, string? model, TrainingSession? session)
    {
        await using (var db = await dbf.CreateDbContextAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var now = DateTime.UtcNow;
            string? summary = result is null ? null : JsonSerializer.Serialize(RunSummary.From(result), RunSummary.JsonOptions);
            var mine = db.Runs.Where(r => r.Id == runId && r.LeaseOwner == claims.WorkerId);
            if (summary is not null && session is not null)
                await mine.ExecuteUpdateAsync(u => u
                    .SetProperty(r => r.SummaryJson, summary).SetProperty(r => r.Step, session.Step).SetProperty(r => r.Epoch, session.Epoch));
            int changed = await mine.Where(r => r.Status == RunStatus.Running).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.Error, error)
                .SetProperty(r => r.FinishedAt, now));
            if (changed == 1 && model is not null && await db.Runs.AnyAsync(r => r.Id == runId))
            {
                db.Models.Add(new RunModel { RunId = runId, Json = model });
                await db.SaveChangesAsync();
            }
            await tx.CommitAsync();
        }
    }

    private async Task<(Run? Run, byte[]? Checkpoint)> LoadAsync(long runId)
    {
        await using var db = await dbf.CreateDbContextAsync();
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId);
        if (run is null) return (null, null);
        return (run, await db.Checkpoints.AsNoTracking().Where(c => c.RunId == runId).Select(c => c.Data).FirstOrDefaultAsync());
    }

    /// <summary>Whatever was stored after the checkpoint (a crash, shutdown or hand-back mid-epoch) is recomputed
    /// identically, so it goes.</summary>
    private async Task TrimAsync(long runId, TrainingSession session)
    {
        long step = session.Step;
        int epoch = session.Epoch;
        await using var db = await dbf.CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.StepMetrics.Where(m => m.RunId == runId && m.Step > step).ExecuteDeleteAsync();
        await db.EpochMetrics.Where(m => m.RunId == runId && m.Epoch > epoch).ExecuteDeleteAsync();
        await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.Step, step).SetProperty(r => r.Epoch, epoch).SetProperty(r => r.TotalSteps, session.TotalSteps));
        await tx.CommitAsync();
    }

    private async Task<string?> StatusAsync(long runId)
    {
        await using var db = await dbf.CreateDbContextAsync();
        return await db.Runs.Where(r => r.Id == runId).Select(r => r.Status).FirstOrDefaultAsync();
    }

    private async Task PushStatusAsync(long runId)
    {
        try
        {
            await events.StatusChangedAsync(runId);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "run {RunId}: status not pushed", runId); // clients read it over REST
        }
    }
}
