using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Api.Hosting;
using TrainingService.Api.Rollups;
using TrainingService.Data;

namespace TrainingService.Api.Runs;

/// <summary>Step and epoch metrics as JSON (a range, thinned with <c>maxPoints</c> at a cost bounded by it; or every step
/// from <c>fromStep</c>, incrementally, streamed a page at a time) and as CSV, streamed.</summary>
public static class RunMetricsApi
{
    public const int MaxCsvRuns = 50;

    public static void MapRunMetrics(this RouteGroupBuilder runs)
    {
        runs.MapGet("/{id:long}/metrics", GetAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Steps from fromStep to toStep (all stored when the request begins, streamed, by default); with maxPoints at most that many, thinned from the rollups " +
                "(bucket points carry their envelope) and ending with the range's last step; the run's epochs (with maxPoints at most that many: each bucket's lowest- and highest-loss epoch, and the last)");
        runs.MapGet("/{id:long}/metrics.csv", CsvAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .Produces<string>(StatusCodes.Status200OK, "text/csv").WithSummary("One run's step metrics as CSV, streamed")
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Limits.ExpensiveReads);
        runs.MapGet("/{id:long}/epochs.csv", EpochsCsvAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .Produces<string>(StatusCodes.Status200OK, "text/csv").WithSummary("One run's epoch metrics (train and validation loss and accuracy) as CSV");
        runs.MapGet("/metrics.csv", ManyCsvAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .Produces<string>(StatusCodes.Status200OK, "text/csv").WithSummary("Several runs' step metrics in one CSV with a runId column (ids=1,2,3), streamed")
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Limits.ExpensiveReads);
    }

    private static async Task<Results<Ok<RunMetrics>, StreamedRunMetrics, ValidationProblem, ProblemHttpResult>> GetAsync(
        long id, string? fromStep, string? toStep, string? maxPoints, TrainingDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Query.TryLong(fromStep, "fromStep", 0, 0, long.MaxValue, out long from, errors);
        Query.TryLong(toStep, "toStep", long.MaxValue, 0, long.MaxValue, out long to, errors);
        Query.TryInt(maxPoints, "maxPoints", int.MaxValue, 2, int.MaxValue, out int max, errors);
        if (errors.Count == 0 && to < from) errors["toStep"] = [$"must be at least fromStep ({from}), got {to}"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct)) return RunsApi.RunNotFound(id);

        if (max == int.MaxValue)
        {
            // Every step of the range stored when the request began (a running run's later flushes are for the next
            // read), streamed a page at a time; the first page is read here, so a database error before anything is
            // written is still a 503.
            to = Math.Min(to, await db.StepMetrics.Where(m => m.RunId == id).MaxAsync(m => (long?)m.Step, ct) ?? 0);
            var raw = await StepReader.RawStreamAsync(db, id, from, to, ct);
            return new StreamedRunMetrics(raw, await EpochReader.AllAsync(db, id, ct));
        }
        var steps = await StepReader.ReadAsync(db, id, from, to == long.MaxValue ? null : to, max, ct);
        return TypedResults.Ok(new RunMetrics(steps, await EpochReader.ReadAsync(db, id, max, ct)));
    }

    private static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> CsvAsync(long id, IDbContextFactory<TrainingDbContext> dbf, CancellationToken ct)
    {
        await using var db = await dbf.CreateDbContextAsync(ct);
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct)) return RunsApi.RunNotFound(id);
        return TypedResults.Stream(body => MetricsCsv.WriteStepsAsync(dbf, [id], withRunId: false, body, ct), "text/csv");
    }

    private static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> EpochsCsvAsync(long id, IDbContextFactory<TrainingDbContext> dbf, CancellationToken ct)
    {
        await using var db = await dbf.CreateDbContextAsync(ct);
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct)) return RunsApi.RunNotFound(id);
        return TypedResults.Stream(body => MetricsCsv.WriteEpochsAsync(dbf, id, body, ct), "text/csv");
    }

    private static async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> ManyCsvAsync(
        string? ids, IDbContextFactory<TrainingDbContext> dbf, CancellationToken ct)
    {
        var parsed = new List<long>();
        foreach (string part in (ids ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(part, out long v) || v < 1) return Problems.Invalid("ids", $"'{part}' is not a run id; expected ids=1,2,3");
            if (!parsed.Contains(v)) parsed.Add(v);
            if (parsed.Count > MaxCsvRuns) return Problems.Invalid("ids", $"at most {MaxCsvRuns} runs per export");
        }
        if (parsed.Count == 0) return Problems.Invalid("ids", "name at least one run: ids=1,2,3");
        await using var db = await dbf.CreateDbContextAsync(ct);
        var known = await db.Runs.Where(r => parsed.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct);
        if (parsed.FirstOrDefault(i => !known.Contains(i)) is var missing and > 0) return RunsApi.RunNotFound(missing);
        return TypedResults.Stream(body => MetricsCsv.WriteStepsAsync(dbf, parsed, withRunId: true, body, ct), "text/csv");
    }
}
