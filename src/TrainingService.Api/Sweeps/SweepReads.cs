using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Sweeps;

namespace TrainingService.Api.Sweeps;

/// <summary>One trial as read with its run: what the coordinator decides from and the DTO shows. A trial whose run was
/// deleted has ended without a metric.</summary>
public sealed record TrialState(SweepTrial Trial, string? RunStatus, RunSummary? Summary, int Epochs)
{
    public bool Ended => RunStatus is null || Data.Entities.RunStatus.IsFinished(RunStatus);
    public string Status => Trial.PrunedAtEpoch is not null ? "pruned" : RunStatus ?? "deleted";

    public JsonObject Parameters() => JsonNode.Parse(Trial.ParametersJson)!.AsObject();

    public double? Metric(SweepDefinition d) => Ended ? SweepMetrics.FromSummary(Summary, d.Metric) : null;

    /// <summary>As the samplers see an ended trial: lower is better.</summary>
    public SweepObservation Observation(SweepDefinition d) => new(Trial.Index,
        Parameters().ToDictionary(p => p.Key, p => p.Value!.DeepClone()), SweepMetrics.AsLoss(Metric(d), d.Goal));
}

/// <summary>Reads a sweep, its trials and their runs into a <see cref="SweepDto"/>.</summary>
public static class SweepReads
{
    public static async Task<List<TrialState>> TrialsAsync(TrainingDbContext db, long sweepId, CancellationToken ct) =>
        (await TrialsAsync(db, [sweepId], ct)).GetValueOrDefault(sweepId) ?? [];

    /// <summary>The trials of several sweeps in one query (the list's), by sweep, each in index order.</summary>
    public static async Task<Dictionary<long, List<TrialState>>> TrialsAsync(TrainingDbContext db, IReadOnlyCollection<long> sweepIds, CancellationToken ct)
    {
        var rows = await (
            from t in db.SweepTrials.AsNoTracking().Where(t => sweepIds.Contains(t.SweepId))
            join r in db.Runs.AsNoTracking() on t.RunId equals r.Id into runs
            from r in runs.DefaultIfEmpty()
            orderby t.SweepId, t.Index
            select new { Trial = t, Status = r == null ? null : r.Status, Summary = r == null ? null : r.SummaryJson, Epoch = r == null ? 0 : r.Epoch })
            .ToListAsync(ct);
        return rows.GroupBy(x => x.Trial.SweepId).ToDictionary(g => g.Key, g => g.Select(x => new TrialState(x.Trial, x.Status,
            x.Summary is null ? null : JsonSerializer.Deserialize<RunSummary>(x.Summary, RunSummary.JsonOptions), x.Epoch)).ToList());
    }

    public static async Task<SweepDto?> FindAsync(TrainingDbContext db, long id, CancellationToken ct)
    {
        var sweep = await db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        return sweep is null ? null : ToDto(sweep, await TrialsAsync(db, id, ct), withTrials: true);
    }

    public static SweepDto ToDto(Sweep s, IReadOnlyList<TrialState> trials, bool withTrials)
    {
        var d = SweepDefinition.Read(s.DefinitionJson);
        var ended = trials.Where(t => t.Ended).Select(t => t.Observation(d)).ToList();
        var best = trials.Where(t => t.Status == RunStatus.Succeeded && t.Metric(d) is not null)
            .OrderBy(t => SweepMetrics.AsLoss(t.Metric(d), d.Goal)).ThenBy(t => t.Trial.Index).FirstOrDefault();
        var importance = withTrials
            ? SweepImportance.Estimate(d.Parameters, ended).Select(i => new SweepImportanceDto(i.Path, i.Importance)).ToList()
            : [];
        return new SweepDto(s.Id, s.Name, s.Method, new SweepMetricDto(s.Metric, s.Goal),
            JsonNode.Parse(JsonSerializer.Serialize(d.Request.Parameters, Engine.Training.SpecJson.Options))!.AsObject(),
            s.RunCap, s.Parallel, s.Seed, d.Request.EarlyTerminate, s.State, Utc(s.CreatedAt), s.FinishedAt is { } f ? Utc(f) : null,
            trials.Count,
            withTrials ? trials.Select(t => new SweepTrialDto(t.Trial.Index, t.Trial.RunId, t.Parameters(), t.Status, t.Metric(d), t.Epochs, t.Trial.PrunedAtEpoch)).ToList() : null,
            best is null ? null : new SweepBestDto(best.Trial.Index, best.Trial.RunId, best.Metric(d)!.Value, best.Parameters()),
            importance, d.Base);
    }

    // SQLite hands DateTimes back unspecified; they are stored as UTC.
    private static DateTime Utc(DateTime d) => DateTime.SpecifyKind(d, DateTimeKind.Utc);
}
