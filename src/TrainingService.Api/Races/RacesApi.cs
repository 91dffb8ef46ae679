using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Contracts;
using TrainingService.Api.Hosting;
using TrainingService.Api.Runs;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Data;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Races;

/// <summary><c>/api/races</c>: one run per variant on the same data, initial weights and batch order, grouped.</summary>
public static class RacesApi
{
    public static RouteGroupBuilder MapRaces(this IEndpointRouteBuilder app)
    {
        var races = app.MapGroup("/api/races").WithTags("Races").ProducesProblem(StatusCodes.Status500InternalServerError);
        races.MapPost("/", CreateAsync)
            .Accepts<RaceRequest>("application/json")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Race optimizers (or models): one run per variant of the base spec, identical initial weights and batches");
        races.MapGet("/{id:long}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("A race and its runs");
        return races;
    }

    private static async Task<Results<Created<RaceDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, TrainingDbContext db, IRunEvents events, IOptions<TrainingOptions> options,
        RunQuota quota, ApiKeyCheck key, CancellationToken ct)
    {
        string name;
        List<RunPlan> plans;
        try
        {
            var raceRequest = await SpecJson.ParseAsync<RaceRequest>(request.Body, ct);
            (name, plans) = RaceSpecs.Build(raceRequest, options.Value.DataDirectory, options.Value.SubmissionLimits());
        }
        catch (SpecException e)
        {
            return Problems.Invalid(e.Errors);
        }
        catch (Exception e) when (e is ArgumentException or DataFormatException or InvalidDataException)
        {
            return Problems.Invalid("$", e.Message);
        }

        string client = key.ClientOf(request.HttpContext);
        var race = new Race { Name = name, CreatedAt = DateTime.UtcNow };
        // The race and its runs are inserted in the admission's transaction: all or none.
        var refused = await quota.AdmitAsync(client, db, plans.Count, async c =>
        {
            db.Races.Add(race);
            await db.SaveChangesAsync(c);
            var runs = plans.Select(p => RunsApi.NewRun(p, race.Id)).ToList();
            db.Runs.AddRange(runs);
            await db.SaveChangesAsync(c);
            return runs.Select(r => r.Id);
        }, ct);
        if (refused is not null) return refused;
        var dto = (await FindAsync(db, race.Id, ct))!;
        foreach (var run in dto.Runs)
        {
            await events.StatusChangedAsync(run.Id, run);
            await events.QueuedAsync(run.Id);
        }
        return TypedResults.Created($"/api/races/{race.Id}", dto);
    }

    private static async Task<Results<Ok<RaceDto>, ProblemHttpResult>> GetAsync(long id, TrainingDbContext db, CancellationToken ct) =>
        await FindAsync(db, id, ct) is { } dto ? TypedResults.Ok(dto) : Problems.NotFound($"race {id} does not exist");

    private static async Task<RaceDto?> FindAsync(TrainingDbContext db, long id, CancellationToken ct)
    {
        var race = await db.Races.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (race is null) return null;
        var runs = await db.Runs.AsNoTracking().Include(r => r.Tags).Where(r => r.RaceId == id).OrderBy(r => r.Id).ToListAsync(ct);
        return new RaceDto(race.Id, race.Name, DateTime.SpecifyKind(race.CreatedAt, DateTimeKind.Utc), runs.Select(RunDto.From).ToList());
    }
}
