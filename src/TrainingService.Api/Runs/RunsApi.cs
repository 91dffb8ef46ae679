using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Contracts;
using TrainingService.Api.Datasets;
using TrainingService.Api.Hosting;
using TrainingService.Api.Worker;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Data;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Runs;

/// <summary><c>/api/runs</c>: submit, list, read, cancel and delete runs; edits, metrics, models and views are mapped beside.</summary>
public static class RunsApi
{
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapRuns(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").WithTags("Runs").ProducesProblem(StatusCodes.Status500InternalServerError);

        runs.MapPost("/", CreateAsync)
            .Accepts<RunSpec>("application/json")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Submit a run: the spec is validated (dataset, model, resources) before anything is queued");
        runs.MapGet("/", ListAsync).WithSummary("List runs, newest first; filter by status, tag and text (name or spec)");
        runs.MapGet("/{id:long}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("One run");
        runs.MapPost("/{id:long}/cancel", CancelAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Cancel a queued or running run (a running one stops at its next loss evaluation)");
        runs.MapDelete("/{id:long}", DeleteAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Delete a run and its metrics (a running run is cancelled first)");

        runs.MapRunEdit();
        runs.MapRunMetrics();
        runs.MapRunModels();
        runs.MapRunLandscape();
        runs.MapRunBoundary();
        runs.MapRunFilters();
        runs.MapRunFeatureMaps();
        runs.MapRunRegression();
        runs.MapRunDiagnostics();
        return runs;
    }

    private static async Task<Results<Created<RunDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, TrainingDbContext db, IRunEvents events, IOptions<TrainingOptions> options,
        RunQuota quota, ApiKeyCheck key, CancellationToken ct)
    {
        RunPlan plan;
        try
        {
            // The whole validation (static checks, dataset, compatibility, resource limits, estimated cost) without
            // building the run. The body is parsed as it streams in (under the body size limit), never held as a string.
            var spec = await SpecJson.ParseAsync<RunSpec>(request.Body, ct);
            await UploadMirror.EnsureAsync(db, options.Value.DataDirectory, spec.Dataset?.Name, ct);
            plan = TrainingSession.Plan(spec, options.Value.DataDirectory, options.Value.SubmissionLimits());
        }
        catch (SpecException e)
        {
            return Problems.Invalid(e.Errors);
        }
        catch (Exception e) when (e is ArgumentException or DataFormatException or InvalidDataException)
        {
            return Problems.Invalid("$", e.Message);
        }

        return await QueueAsync(plan, request, db, events, quota, key, ct);
    }

    /// <summary>Stores a validated run as queued (within the client's quota) and announces it: what every way of
    /// submitting a run ends with (a spec, a learning-rate finder).</summary>
    internal static async Task<Results<Created<RunDto>, ValidationProblem, ProblemHttpResult>> QueueAsync(
        RunPlan plan, HttpRequest request, TrainingDbContext db, IRunEvents events, RunQuota quota, ApiKeyCheck key, CancellationToken ct)
    {
        string client = key.ClientOf(request.HttpContext);
        var run = NewRun(plan);
        var refused = await quota.AdmitAsync(client, db, 1, async c =>
        {
            db.Runs.Add(run);
            await db.SaveChangesAsync(c);
            return [run.Id];
        }, ct);
        if (refused is not null) return refused;
        var dto = RunDto.From(run);
        await events.StatusChangedAsync(run.Id, dto);
        await events.QueuedAsync(run.Id);
        return TypedResults.Created($"/api/runs/{run.Id}", dto);
    }

    private static async Task<Results<Ok<RunPage>, ValidationProblem>> ListAsync(
        TrainingDbContext db, string? status, string? tag, string? text, string? page, string? pageSize, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Query.TryInt(page, "page", 1, 1, int.MaxValue, out int p, errors);
        Query.TryInt(pageSize, "pageSize", 20, 1, MaxPageSize, out int size, errors);
        if (status is not null && !RunStatus.All.Contains(status))
            errors["status"] = [$"must be one of {string.Join(", ", RunStatus.All)}, got '{status}'"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var query = db.Runs.AsNoTracking();
        if (status is not null) query = query.Where(r => r.Status == status);
        if (!string.IsNullOrEmpty(tag)) query = query.Where(r => r.Tags.Any(t => t.Tag == tag));
        if (!string.IsNullOrEmpty(text))
        {
            string pattern = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            query = query.Where(r => EF.Functions.Like(r.Name, pattern, "\\") || EF.Functions.Like(r.SpecJson, pattern, "\\"));
        }
        int total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(r => r.Id).Skip((int)Math.Min((long)(p - 1) * size, int.MaxValue)).Take(size)
            .Include(r => r.Tags).ToListAsync(ct);
        return TypedResults.Ok(new RunPage(items.Select(RunDto.From).ToList(), p, size, total));
    }

    private static async Task<Results<Ok<RunDto>, ProblemHttpResult>> GetAsync(long id, TrainingDbContext db, CancellationToken ct) =>
        await db.FindDtoAsync(id, ct) is { } dto ? TypedResults.Ok(dto) : RunNotFound(id);

    private static async Task<Results<Ok<RunDto>, ProblemHttpResult>> CancelAsync(
        long id, TrainingDbContext db, IRunEvents events, CancellationToken ct)
    {
        var status = await db.Runs.Where(r => r.Id == id).Select(r => r.Status).FirstOrDefaultAsync(ct);
        if (status is null) return RunNotFound(id);
        if (RunStatus.IsFinished(status)) return Problems.Conflict($"run {id} has already finished ({status})");
        var now = DateTime.UtcNow;
        await db.Runs.Where(r => r.Id == id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.FinishedAt, now), ct);
        await events.CancelRequestedAsync(id);
        await events.StatusChangedAsync(id);
        return TypedResults.Ok((await db.FindDtoAsync(id, ct))!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        long id, TrainingDbContext db, RunRegistry registry, IRunEvents events, CancellationToken ct)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct)) return RunNotFound(id);
        await db.Runs.Where(r => r.Id == id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Cancelled), ct);
        // Trained here: wait for the session to stop. Trained on another node: it stops on the cancel (or at its next
        // flush, which finds the run gone).
        await events.CancelRequestedAsync(id);
        await registry.WaitUntilStoppedAsync(id, TimeSpan.FromSeconds(30));
        // Children first, so the delete does not depend on SQLite's foreign-key pragma.
        await db.StepMetrics.Where(m => m.RunId == id).ExecuteDeleteAsync(ct);
        await db.EpochMetrics.Where(m => m.RunId == id).ExecuteDeleteAsync(ct);
        await db.Checkpoints.Where(m => m.RunId == id).ExecuteDeleteAsync(ct);
        await db.Models.Where(m => m.RunId == id).ExecuteDeleteAsync(ct);
        await db.RunTags.Where(m => m.RunId == id).ExecuteDeleteAsync(ct);
        await db.Runs.Where(r => r.Id == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>A queued run of a validated spec (resolved, so a resume rebuilds the identical session).</summary>
    internal static Run NewRun(RunPlan plan, long? raceId = null) => new()
    {
        Name = plan.Spec.Name!,
        Status = RunStatus.Queued,
        SpecJson = SpecJson.Serialize(plan.Spec),
        CreatedAt = DateTime.UtcNow,
        TotalSteps = plan.TotalSteps,
        RaceId = raceId,
        Tags = plan.Spec.Tags!.Distinct(StringComparer.Ordinal).Select(t => new RunTag { Tag = t }).ToList(),
    };

    internal static ProblemHttpResult RunNotFound(long id) => Problems.NotFound($"run {id} does not exist");
}
