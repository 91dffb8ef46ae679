using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Contracts;
using TrainingService.Api.Hosting;
using TrainingService.Api.Worker;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Runs;

/// <summary>The loss surface of a two-parameter run (y = w·x + b) with the path its optimizer took.</summary>
public static class RunLandscapeApi
{
    public const int DefaultResolution = 60;
    public const int MaxResolution = 200;

    public static void MapRunLandscape(this RouteGroupBuilder runs)
    {
        runs.MapGet("/{id:long}/landscape", GetAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Limits.ExpensiveReads)
            .WithSummary("Training loss on a resolution² grid of (w, b) covering the trajectory (or wMin/wMax/bMin/bMax), the start and every step's (w, b) (trajectory=false leaves it out); 409 unless the model has exactly 2 parameters; 400 when resolution² × training rows × 2 is over Training__MaxGridCost; a loss that overflows is null");
    }

    private static async Task<Results<Ok<LandscapeDto>, ValidationProblem, ProblemHttpResult>> GetAsync(
        long id, string? resolution, string? wMin, string? wMax, string? bMin, string? bMax,
        string? trajectory, TrainingDbContext db, RunViewCache cache, RunRegistry registry, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Query.TryInt(resolution, "resolution", DefaultResolution, 2, MaxResolution, out int res, errors);
        Query.TryDouble(wMin, "wMin", out var w0, errors);
        Query.TryDouble(wMax, "wMax", out var w1, errors);
        Query.TryDouble(bMin, "bMin", out var b0, errors);
        Query.TryDouble(bMax, "bMax", out var b1, errors);
        Query.TryBool(trajectory, "trajectory", true, out bool withTrajectory, errors);
        var given = new[] { w0, w1, b0, b1 };
        if (given.Any(v => v is not null) && given.Any(v => v is null))
            errors["wMin"] = ["give all four bounds (wMin, wMax, bMin, bMax) or none"];
        else if (w0 >= w1) errors["wMax"] = ["must be greater than wMin"];
        else if (b0 >= b1) errors["bMax"] = ["must be greater than bMin"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        // A hidden layer means more than 2 parameters: answer without rebuilding the run's data.
        var head = await db.Runs.Where(r => r.Id == id).Select(r => new { r.SpecJson, r.Status, r.FinishedAt }).FirstOrDefaultAsync(ct);
        if (head is null) return RunsApi.RunNotFound(id);
        if (SpecJson.Parse(head.SpecJson).Model?.Hidden is { Count: > 0 })
            return Problems.Conflict($"run {id}'s model has hidden layers; a loss landscape needs exactly 2 parameters (the linear dataset with model.hidden [])");
        var key = RunViewCache.KeyOf("landscape", id, head.Status, head.FinishedAt, registry, FormattableString.Invariant($"{res}|{w0:R}|{w1:R}|{b0:R}|{b1:R}|{withTrajectory}"));
        if (key is not null && cache.TryGet(key, out LandscapeDto cached)) return TypedResults.Ok(cached);

        var (session, problem) = await RunSessions.RebuildAsync(db, id, options.Value.DataDirectory, ct);
        if (problem is not null) return problem;
        if (!LossLandscape.Applies(session!))
            return Problems.Conflict($"run {id}'s model has {session!.Network.ParameterCount} parameters; a loss landscape needs exactly 2 (the linear dataset with model.hidden [])");
        // A test surface is one function value per point; a dataset's loss, a pass over every training row.
        long rows = session!.Surface is null ? session.Train.Count : 1;
        if (GridLimits.Check(res, rows, session.Network.ParameterCount, options.Value.MaxGridCost) is { } tooLarge)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["resolution"] = [tooLarge] });

        float[] start = session.Network.GetFlatParameters();
        bool loadPath = withTrajectory || w0 is null; // the bounds default to the box around the path
        var stored = !loadPath ? [] : await db.StepMetrics.AsNoTracking().Where(m => m.RunId == id && m.Point != null).OrderBy(m => m.Step)
            .Select(m => m.Point!).ToListAsync(ct);
        // A diverged run's last points are ±Infinity or NaN: the path is its finite part, and the bounds cover that.
        var path = stored.ConvertAll(p => JsonSerializer.Deserialize<float[]>(p, RunSummary.JsonOptions)!).FindAll(p => p.All(float.IsFinite));
        var bounds = w0 is not null
            ? (w0.Value, w1!.Value, b0!.Value, b1!.Value)
            : LossLandscape.BoundsAround(path.Prepend(start).Select(p => ((double)p[0], (double)p[1])));
        // Stops when the client goes away (the token is HttpContext.RequestAborted).
        var grid = LossLandscape.Evaluate(session, bounds.Item1, bounds.Item2, bounds.Item3, bounds.Item4, res, ct);
        var dto = new LandscapeDto(LandscapeGrid.From(grid), start, withTrajectory ? path : []);
        if (key is not null) cache.Set(key, dto);
        return TypedResults.Ok(dto);
    }
}

/// <summary><c>grid.loss[j·resolution + i]</c> is the training loss at w = wMin + i·Δw, b = bMin + j·Δb; <c>start</c> is the
/// initial (w, b), <c>trajectory</c> the (w, b) after each stored step whose values are finite, in step order (empty when
/// the request says <c>trajectory=false</c>: the dashboard draws the path from the step points it already holds).</summary>
public sealed record LandscapeDto(LandscapeGrid Grid, float[] Start, IReadOnlyList<float[]> Trajectory);

/// <summary>The engine's <see cref="LossGrid"/> with a loss that overflowed (far-out bounds, a diverged run) as null.</summary>
public sealed record LandscapeGrid(double WMin, double WMax, double BMin, double BMax, int Resolution, double?[] Loss)
{
    public static LandscapeGrid From(LossGrid g) =>
        new(g.WMin, g.WMax, g.BMin, g.BMax, g.Resolution, Array.ConvertAll(g.Loss, v => double.IsFinite(v) ? v : (double?)null));
}
