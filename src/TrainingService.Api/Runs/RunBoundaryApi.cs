using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Runs;

/// <summary>For 2-D classification runs: the predicted class and its probability on a grid over the input plane at the last
/// stored epoch (the same grid the worker pushes live as <c>boundary(runId, BoundaryPoint)</c>), and the data points.</summary>
public static class RunBoundaryApi
{
    /// <summary>What the worker computes each epoch: 40² forward rows, well under a millisecond for small nets.</summary>
    public const int LiveResolution = 40;
    public const int MaxResolution = 200;
    /// <summary>Points per split sent to draw (the first ones; splits are shuffled unless the spec says otherwise).</summary>
    public const int MaxPointsPerSplit = 2000;

    public static void MapRunBoundary(this RouteGroupBuilder runs)
    {
        runs.MapGet("/{id:long}/boundary", GetAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Decision boundary at the last stored epoch (epoch 0 = initial weights) and the train/validation/test points, [x, y, label], in the model's input space; 409 unless the dataset is 2-D classification");
    }

    private static async Task<Results<Ok<BoundaryDto>, ValidationProblem, ProblemHttpResult>> GetAsync(
        long id, string? resolution, TrainingDbContext db, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Query.TryInt(resolution, "resolution", LiveResolution, 2, MaxResolution, out int res, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var (session, problem) = await RunSessions.RebuildAsync(db, id, options.Value.DataDirectory, ct);
        if (problem is not null) return problem;
        if (!DecisionBoundary.Applies(session!))
            return Problems.Conflict($"run {id} does not classify 2-D points ({session!.Network.Inputs} inputs{(session.Train.Labels is null ? ", regression" : "")}); a decision boundary needs a 2-D classification dataset");

        var cp = await db.Checkpoints.AsNoTracking().Where(c => c.RunId == id).Select(c => c.Data).FirstOrDefaultAsync(ct);
        if (cp is not null) session!.Restore(Checkpoint.Deserialize(cp));
        var grid = BoundaryPoint.Compute(session!, DecisionBoundary.Bounds(session!), res);
        return TypedResults.Ok(new BoundaryDto(grid.Epoch, grid.Grid, session!.ClassNames ?? [], Points(session!.Train), Points(session.Validation), Points(session.Test)));
    }

    private static float[][] Points(EncodedSplit split)
    {
        int n = Math.Min(split.Count, MaxPointsPerSplit);
        var rows = new float[n][];
        for (int r = 0; r < n; r++) rows[r] = [split.X[2 * r], split.X[2 * r + 1], split.Labels![r]];
        return rows;
    }
}

/// <summary>The hub message <c>boundary(runId, BoundaryPoint)</c>: the decision grid after <see cref="Epoch"/> epochs.</summary>
public sealed record BoundaryPoint(int Epoch, DecisionGrid Grid)
{
    public static BoundaryPoint Compute(TrainingSession session, (double, double, double, double) bounds, int resolution) =>
        new(session.Epoch, DecisionBoundary.Compute(session.Network, session.ClassNames?.Length ?? 0, bounds, resolution));
}

/// <summary><c>GET /api/runs/{id}/boundary</c>: the grid plus the points, each <c>[x, y, label]</c>.</summary>
public sealed record BoundaryDto(int Epoch, DecisionGrid Grid, string[] ClassNames, float[][] Train, float[][] Validation, float[][] Test);
