using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Api.Runs;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Data;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Sweeps;

/// <summary>
/// Creates one trial: its run (queued, like any submitted run) and its <see cref="SweepTrial"/> row, in one transaction
/// that first takes the sweep's row (a no-op UPDATE: a row lock on PostgreSQL, the write lock on SQLite) and checks it
/// is still running and the index still free. Instances proposing trials for the same sweep therefore take turns, a
/// cancel cannot slip between the check and the insert, and the (SweepId, Index) key refuses a duplicate should
/// anything get past that. A trial waits (null: the coordinator's next round tries again) while the queue holds
/// <c>Training__MaxQueuedRuns</c> runs, so sweeps never push the queue past the limit submissions are held to. Values that make no valid spec (possible only for ranges' inner points) give a failed run
/// saying why, so the sweep moves on.
/// </summary>
public static class TrialCreation
{
    /// <summary>The trial's run as stored, or null when the sweep stopped, another instance made this index first or
    /// the queue is full.</summary>
    public static async Task<Run?> CreateAsync(IDbContextFactory<TrainingDbContext> dbf, Sweep sweep, SweepDefinition d, int index,
        IReadOnlyDictionary<string, JsonNode> values, string dataDirectory, SpecLimits limits, int maxQueuedRuns, CancellationToken ct)
    {
        Run run;
        try
        {
            run = RunsApi.NewRun(SweepSpecs.Trial(d, sweep.Id, sweep.Name, index, values, dataDirectory, limits));
        }
        catch (Exception e) when (e is SpecException or ArgumentException or DataFormatException or InvalidDataException)
        {
            run = FailedRun(sweep, d, index, values, e is SpecException s ? string.Join("; ", s.Errors.Select(x => $"{x.Path}: {x.Message}")) : e.Message);
        }

        await using var db = await dbf.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        int running = await db.Sweeps.Where(s => s.Id == sweep.Id && s.State == SweepState.Running)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, s => s.State), ct);
        if (running == 0 || await db.SweepTrials.AnyAsync(t => t.SweepId == sweep.Id && t.Index == index, ct)) return null;
        if (run.Status == RunStatus.Queued && await db.Runs.CountAsync(r => r.Status == RunStatus.Queued, ct) >= maxQueuedRuns) return null;
        try
        {
            db.Runs.Add(run);
            await db.SaveChangesAsync(ct);
            db.SweepTrials.Add(new SweepTrial { SweepId = sweep.Id, Index = index, RunId = run.Id, ParametersJson = SweepDefinition.ToObject(values).ToJsonString() });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return run;
        }
        catch (DbUpdateException)
        {
            return null; // the index was taken meanwhile: the transaction rolls back, run included
        }
    }

    private static Run FailedRun(Sweep sweep, SweepDefinition d, int index, IReadOnlyDictionary<string, JsonNode> values, string reason)
    {
        RunSpec spec;
        try { spec = SweepSpecs.TrialSpec(d.Base, values); }
        catch (SpecException) { spec = d.Base; }
        spec.Name = $"{sweep.Name} #{index}";
        var now = DateTime.UtcNow;
        return new Run
        {
            Name = spec.Name,
            Status = RunStatus.Failed,
            SpecJson = SpecJson.Serialize(spec),
            CreatedAt = now,
            FinishedAt = now,
            Error = $"sweep {sweep.Id}: these parameters make no valid spec: {reason}",
            Tags = [.. (d.Base.Tags ?? []).Append($"{SweepSpecs.TagPrefix}{sweep.Id}").Distinct().Select(t => new RunTag { Tag = t })],
        };
    }
}
