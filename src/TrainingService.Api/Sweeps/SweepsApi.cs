using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Contracts;
using TrainingService.Api.Datasets;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Data;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Sweeps;

/// <summary><c>/api/sweeps</c>: hyperparameter sweeps (grid, random, bayes; hyperband early termination) whose trials are
/// ordinary runs tagged <c>sweep:{id}</c>, proposed by the <see cref="SweepCoordinator"/> of any instance.</summary>
public static class SweepsApi
{
    public const int MaxListed = 200;

    public static RouteGroupBuilder MapSweeps(this IEndpointRouteBuilder app)
    {
        var sweeps = app.MapGroup("/api/sweeps").WithTags("Sweeps").ProducesProblem(StatusCodes.Status500InternalServerError);
        sweeps.MapPost("/", CreateAsync)
            .Accepts<SweepRequest>("application/json")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Start a sweep: trials of a base spec with the given spec paths varied (grid, random or bayes), parallel at a time, ranked by a metric");
        sweeps.MapGet("/", ListAsync).WithSummary("List sweeps, newest first (without their trials)");
        sweeps.MapGet("/{id:long}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A sweep: its trials (parameters, status, metric, pruned epoch), the best trial, parameter importance");
        sweeps.MapPost("/{id:long}/cancel", CancelAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Cancel a running sweep and its queued and running trials");
        return sweeps;
    }

    private static async Task<Results<Created<SweepDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, TrainingDbContext db, SweepCoordinator coordinator, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        SweepDefinition d;
        try
        {
            var body = await SpecJson.ParseAsync<SweepRequest>(request.Body, ct);
            await UploadMirror.EnsureAsync(db, options.Value.DataDirectory, body.Base?.Dataset?.Name, ct);
            d = SweepSpecs.Validate(body, options.Value.DataDirectory, options.Value.SubmissionLimits(), options.Value.MaxSweepTrials, ct);
        }
        catch (SpecException e)
        {
            return Problems.Invalid(e.Errors);
        }
        catch (Exception e) when (e is ArgumentException or DataFormatException or InvalidDataException)
        {
            return Problems.Invalid("base.dataset", e.Message);
        }

        var r = d.Request;
        var sweep = new Sweep
        {
            Name = r.Name!,
            DefinitionJson = d.ToJson(),
            Method = r.Method!,
            Metric = d.Metric,
            Goal = d.Goal,
            Seed = r.Seed!.Value,
            RunCap = r.RunCap,
            Parallel = r.Parallel!.Value,
            EarlyTerminateJson = r.EarlyTerminate is null ? null : SpecJson.Serialize(r.EarlyTerminate),
            State = SweepState.Running,
            CreatedAt = DateTime.UtcNow,
        };
        db.Sweeps.Add(sweep);
        await db.SaveChangesAsync(ct);
        // The first trials now, so the answer shows them; the coordinator carries on from here (also after a blip now).
        try
        {
            await coordinator.AdvanceAsync(sweep.Id, ct);
        }
        catch (Exception e) when (StoreFaults.IsTransient(e))
        {
            coordinator.Wake();
        }
        return TypedResults.Created($"/api/sweeps/{sweep.Id}", (await SweepReads.FindAsync(db, sweep.Id, ct))!);
    }

    private static async Task<Ok<List<SweepDto>>> ListAsync(TrainingDbContext db, CancellationToken ct)
    {
        var sweeps = await db.Sweeps.AsNoTracking().OrderByDescending(s => s.Id).Take(MaxListed).ToListAsync(ct);
        var trials = await SweepReads.TrialsAsync(db, sweeps.ConvertAll(s => s.Id), ct);
        return TypedResults.Ok(sweeps.ConvertAll(s => SweepReads.ToDto(s, trials.GetValueOrDefault(s.Id) ?? [], withTrials: false)));
    }

    private static async Task<Results<Ok<SweepDto>, ProblemHttpResult>> GetAsync(long id, TrainingDbContext db, CancellationToken ct) =>
        await SweepReads.FindAsync(db, id, ct) is { } dto ? TypedResults.Ok(dto) : NotFound(id);

    /// <summary>The sweep first (so no instance proposes another trial: <see cref="TrialCreation"/> checks it under the
    /// sweep's row lock), then its unfinished trials, as <c>POST /api/runs/{id}/cancel</c> does for each.</summary>
    private static async Task<Results<Ok<SweepDto>, ProblemHttpResult>> CancelAsync(long id, TrainingDbContext db, IRunEvents events, CancellationToken ct)
    {
        var state = await db.Sweeps.Where(s => s.Id == id).Select(s => s.State).FirstOrDefaultAsync(ct);
        if (state is null) return NotFound(id);
        var now = DateTime.UtcNow;
        int changed = await db.Sweeps.Where(s => s.Id == id && s.State == SweepState.Running)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, SweepState.Cancelled).SetProperty(s => s.FinishedAt, now), ct);
        if (changed == 0) return Problems.Conflict($"sweep {id} has already ended ({state})");
        var runIds = await db.SweepTrials.Where(t => t.SweepId == id).Select(t => t.RunId).ToListAsync(ct);
        var active = await db.Runs.Where(r => runIds.Contains(r.Id) && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
            .Select(r => r.Id).ToListAsync(ct);
        await db.Runs.Where(r => active.Contains(r.Id) && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.FinishedAt, now), ct);
        foreach (long runId in active)
        {
            await events.CancelRequestedAsync(runId);
            await events.StatusChangedAsync(runId);
        }
        return TypedResults.Ok((await SweepReads.FindAsync(db, id, ct))!);
    }

    private static ProblemHttpResult NotFound(long id) => Problems.NotFound($"sweep {id} does not exist");
}
