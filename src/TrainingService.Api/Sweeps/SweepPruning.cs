using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Sweeps;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Sweeps;

/// <summary>
/// Hyperband for a sweep's trials, decided where the trial trains: at each rung epoch (<see cref="Hyperband.Rungs"/> of
/// the trial's epochs) the worker's training thread asks, and the trial's metric at that epoch is compared with the
/// metric every other trial of the sweep stored at the same epoch (<see cref="Hyperband.ShouldPrune"/>). A pruned trial's
/// row says where; the worker stops it before the next step and stores it as cancelled with the reason
/// (<c>pruned at epoch N …</c>) and its summary, so the trial has ended only once its metric is there. Each rung is decided once per trial (<see cref="SweepTrial.RungEpoch"/>), so a
/// trial resumed after a crash does not face a rung twice. Blocking the training thread is fine here: it happens only
/// at a trial's few rung epochs.
/// </summary>
public sealed class SweepPruning(IDbContextFactory<TrainingDbContext> dbf, SweepCoordinator coordinator, ILogger<SweepPruning> log) : IEpochGates
{
    private readonly ILogger _log = log;

    public async Task<IEpochGate?> ForRunAsync(long runId, CancellationToken ct)
    {
        await using var db = await dbf.CreateDbContextAsync(ct);
        var trial = await db.SweepTrials.AsNoTracking().FirstOrDefaultAsync(t => t.RunId == runId, ct);
        if (trial is null) return null;
        var sweep = await db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == trial.SweepId, ct);
        if (sweep is null || sweep.EarlyTerminateJson is null) return null;
        var d = SweepDefinition.Read(sweep.DefinitionJson);
        string? specJson = await db.Runs.Where(r => r.Id == runId).Select(r => r.SpecJson).FirstOrDefaultAsync(ct);
        if (d.Hyperband is not { } hyperband || specJson is null) return null;
        // Pruned, but its worker died before it stopped: it resumed from an earlier checkpoint and stops at its next epoch end.
        if (trial.PrunedAtEpoch is { } pruned) return new Gate(this, trial, d, hyperband, [], Reason(trial, pruned, d, null, 0, 0));
        var rungs = hyperband.Rungs(SpecJson.Parse(specJson).Epochs ?? SpecDefaults.Epochs).Where(r => r > trial.RungEpoch).ToHashSet();
        return rungs.Count == 0 ? null : new Gate(this, trial, d, hyperband, rungs, null);
    }

    private sealed class Gate(SweepPruning owner, SweepTrial trial, SweepDefinition d, Hyperband hyperband, HashSet<int> rungs, string? pruned) : IEpochGate
    {
        public string? Stop(EpochPoint epoch)
        {
            if (pruned is not null) return pruned;
            if (!rungs.Remove(epoch.Epoch)) return null;
            try
            {
                return owner.DecideAsync(trial, d, hyperband, epoch).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                owner._log.LogWarning(e, "sweep {SweepId} trial {Index}: the rung at epoch {Epoch} could not be decided; it trains on", trial.SweepId, trial.Index, epoch.Epoch);
                return null;
            }
        }
    }

    /// <summary>Why the trial stops at this rung (stored first: the trial's rung and pruned epoch), or null when it goes on.</summary>
    private async Task<string?> DecideAsync(SweepTrial trial, SweepDefinition d, Hyperband hyperband, EpochPoint epoch)
    {
        int rung = epoch.Epoch;
        double? own = Raw(epoch, d.Metric);
        if (own is null) return null; // the metric is not recorded (no validation split, no accuracy): nothing to compare
        double loss = d.Goal == "maximize" ? -own.Value : own.Value;

        await using var db = await dbf.CreateDbContextAsync();
        var others = await (
            from t in db.SweepTrials.AsNoTracking().Where(t => t.SweepId == trial.SweepId && t.RunId != trial.RunId)
            join m in db.EpochMetrics.AsNoTracking().Where(m => m.Epoch == rung) on t.RunId equals m.RunId
            select m).ToListAsync();
        var losses = others.Select(m => Raw(EpochPoint.From(m), d.Metric)).OfType<double>().Select(v => d.Goal == "maximize" ? -v : v).ToList();
        bool prune = hyperband.ShouldPrune(loss, losses);

        int decided = await db.SweepTrials.Where(t => t.SweepId == trial.SweepId && t.Index == trial.Index && t.RungEpoch < rung)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RungEpoch, rung).SetProperty(t => t.PrunedAtEpoch, prune ? rung : null));
        if (decided == 0 || !prune) return null; // kept (or decided before, by a run that passed the rung again: kept then)
        coordinator.Wake();
        return Reason(trial, rung, d, own, Math.Max(1, (losses.Count + 1) / hyperband.Eta), losses.Count + 1);
    }

    private static string Reason(SweepTrial trial, int rung, SweepDefinition d, double? value, int keep, int n) => value is { } v
        ? $"pruned at epoch {rung} by sweep {trial.SweepId} (hyperband: {d.Metric} {v:G4} was not among the best {keep} of the {n} trials that reached epoch {rung})"
        : $"pruned at epoch {rung} by sweep {trial.SweepId} (hyperband)";

    /// <summary>The metric as recorded at an epoch end (NaN kept: a diverging trial is pruned), or null when not recorded.</summary>
    private static double? Raw(EpochPoint e, string metric) => metric switch
    {
        "validationLoss" => e.ValidationLoss,
        "validationAccuracy" => e.ValidationAccuracy,
        "trainLoss" => e.TrainLoss,
        "trainAccuracy" => e.TrainAccuracy,
        _ => null,
    };
}
