using System.Globalization;
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

/// <summary>For 2-D classification runs: the predicted class and its probability on a grid over the input plane at the last
/// stored epoch (the same grid the worker pushes live as <c>boundary(runId, BoundaryPoint)</c>), and the data points.</summary>
public static class RunBoundaryApi
{
    public const int MaxResolution = 200;
    /// <summary>Points per split sent to draw (the first ones; splits are shuffled unless the spec says otherwise).</summary>
    public const int MaxPointsPerSplit = 2000;

    public static void MapRunBoundary(this RouteGroupBuilder runs)
    {
        runs.MapGet("/{id:long}/boundary", GetAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Limits.ExpensiveReads)
            .WithSummary("Decision boundary at the last stored epoch (epoch 0 = initial weights) and the train/validation/test points, [x, y, label], in the model's input space; 409 unless the dataset is 2-D classification; 400 when resolution² × the model's parameters is over Training__MaxGridCost");
    }

    private static async Task<Results<Ok<BoundaryDto>, ValidationProblem, ProblemHttpResult>> GetAsync(
        long id, string? resolution, TrainingDbContext db, RunViewCache cache, RunRegistry registry, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Query.TryInt(resolution, "resolution", BoundaryPoint.LiveResolution, 2, MaxResolution, out int res, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var head = await db.Runs.Where(r => r.Id == id).Select(r => new { r.Status, r.FinishedAt }).FirstOrDefaultAsync(ct);
        if (head is null) return RunsApi.RunNotFound(id);
        var key = RunViewCache.KeyOf("boundary", id, head.Status, head.FinishedAt, registry, res.ToString(CultureInfo.InvariantCulture));
        if (key is not null && cache.TryGet(key, out BoundaryDto cached)) return TypedResults.Ok(cached);

        var (session, problem) = await RunSessions.RebuildAsync(db, id, options.Value.DataDirectory, ct);
        if (problem is not null) return problem;
        if (!DecisionBoundary.Applies(session!))
            return Problems.Conflict($"run {id} does not classify 2-D points ({session!.Network.Inputs} inputs{(session.Train.Labels is null ? ", regression" : "")}); a decision boundary needs a 2-D classification dataset");
        if (GridLimits.Check(res, 1, session!.Network.ParameterCount, options.Value.MaxGridCost) is { } tooLarge)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["resolution"] = [tooLarge] });

        await RunSessions.RestoreLastCheckpointAsync(db, id, session!, ct);
        // Stops when the client goes away (the token is HttpContext.RequestAborted).
        var grid = BoundaryPoint.Compute(session, DecisionBoundary.Bounds(session), res, ct);
        var dto = new BoundaryDto(grid.Epoch, grid.Grid, session.ClassNames ?? [], Points(session.Train), Points(session.Validation), Points(session.Test));
        if (key is not null) cache.Set(key, dto);
        return TypedResults.Ok(dto);
    }

    private static float[][] Points(EncodedSplit split)
    {
        int n = Math.Min(split.Count, MaxPointsPerSplit);
        var rows = new float[n][];
        for (int r = 0; r < n; r++) rows[r] = [split.X[2 * r], split.X[2 * r + 1], split.Labels![r]];
        return rows;
    }
}

/// <summary><c>GET /api/runs/{id}/boundary</c>: the grid plus the points, each <c>[x, y, label]</c>.</summary>
public sealed record BoundaryDto(int Epoch, DecisionGrid Grid, string[] ClassNames, float[][] Train, float[][] Validation, float[][] Test);
