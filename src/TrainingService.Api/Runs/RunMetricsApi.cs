using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Hosting;
using TrainingService.Data;

namespace TrainingService.Api.Runs;

/// <summary>Step and epoch metrics as JSON (incremental with <c>fromStep</c>, thinned with <c>maxPoints</c>) and CSV.</summary>
public static class RunMetricsApi
{
    public const int MaxCsvRuns = 50;

    public static void MapRunMetrics(this RouteGroupBuilder runs)
    {
        runs.MapGet("/{id:long}/metrics", GetAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Steps with step ≥ fromStep (all by default), min/max-downsampled to maxPoints; all epochs");
        runs.MapGet("/{id:long}/metrics.csv", CsvAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .Produces<string>(StatusCodes.Status200OK, "text/csv").WithSummary("One run's step metrics as CSV");
        runs.MapGet("/metrics.csv", ManyCsvAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .Produces<string>(StatusCodes.Status200OK, "text/csv").WithSummary("Several runs' step metrics in one CSV with a runId column (ids=1,2,3)");
    }

    private static async Task<Results<Ok<RunMetrics>, ValidationProblem, ProblemHttpResult>> GetAsync(
        long id, string? fromStep, string? maxPoints, TrainingDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Query.TryLong(fromStep, "fromStep", 0, 0, long.MaxValue, out long from, errors);
        Query.TryInt(maxPoints, "maxPoints", int.MaxValue, 2, int.MaxValue, out int max, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct)) return RunsApi.RunNotFound(id);

        var steps = await LoadStepsAsync(db, id, from, ct);
        var epochs = await db.EpochMetrics.AsNoTracking().Where(m => m.RunId == id).OrderBy(m => m.Epoch).ToListAsync(ct);
        return TypedResults.Ok(new RunMetrics(Downsampler.MinMax(steps, max), epochs.Select(EpochPoint.From).ToList()));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> CsvAsync(long id, TrainingDbContext db, CancellationToken ct)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct)) return RunsApi.RunNotFound(id);
        var steps = await LoadStepsAsync(db, id, 0, ct);
        return TypedResults.Text(MetricsCsv.Write([(id, steps)], withRunId: false), "text/csv");
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> ManyCsvAsync(
        string? ids, TrainingDbContext db, CancellationToken ct)
    {
        var parsed = new List<long>();
        foreach (string part in (ids ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(part, out long v) || v < 1) return Problems.Invalid("ids", $"'{part}' is not a run id; expected ids=1,2,3");
            if (!parsed.Contains(v)) parsed.Add(v);
        }
        if (parsed.Count == 0) return Problems.Invalid("ids", "name at least one run: ids=1,2,3");
        if (parsed.Count > MaxCsvRuns) return Problems.Invalid("ids", $"at most {MaxCsvRuns} runs per export, got {parsed.Count}");
        var known = await db.Runs.Where(r => parsed.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct);
        if (parsed.FirstOrDefault(i => !known.Contains(i)) is var missing and > 0) return RunsApi.RunNotFound(missing);

        var runs = new List<(long, IReadOnlyList<StepPoint>)>();
        foreach (long runId in parsed) runs.Add((runId, await LoadStepsAsync(db, runId, 0, ct)));
        return TypedResults.Text(MetricsCsv.Write(runs, withRunId: true), "text/csv");
    }

    private static async Task<List<StepPoint>> LoadStepsAsync(TrainingDbContext db, long runId, long fromStep, CancellationToken ct)
    {
        var rows = await db.StepMetrics.AsNoTracking().Where(m => m.RunId == runId && m.Step >= fromStep).OrderBy(m => m.Step).ToListAsync(ct);
        return rows.ConvertAll(StepPoint.From);
    }
}
