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

/// <summary>For 1-feature regression runs: the model's curve, its residuals on the shown training points and (for
/// y = w·x + b) the loss along the slope at the last stored epoch, as the worker pushes it live as
/// <c>regression(runId, RegressionPoint)</c>. Its size is fixed (<see cref="RegressionView"/>), so it needs no limit
/// beyond the expensive-read rate: a few hundred forward rows, and for a line a hundred passes over at most 200 points.</summary>
public static class RunRegressionApi
{
    public static void MapRunRegression(this RouteGroupBuilder runs)
    {
        runs.MapGet("/{id:long}/regression", GetAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Limits.ExpensiveReads)
            .WithSummary($"Regression view at the last stored epoch (epoch 0 = initial weights): the model's curve at {RegressionView.CurveSamples} x over the data's range, at most {RegressionView.MaxPoints} training points with prediction and residual (y − prediction), their loss, and for a model with exactly 2 parameters the loss along w through the current b; x in the model's input space; 409 unless the run is a 1-feature regression");
    }

    private static async Task<Results<Ok<RegressionPoint>, ProblemHttpResult>> GetAsync(
        long id, TrainingDbContext db, RunViewCache cache, RunRegistry registry, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        var head = await db.Runs.Where(r => r.Id == id).Select(r => new { r.Status, r.FinishedAt }).FirstOrDefaultAsync(ct);
        if (head is null) return RunsApi.RunNotFound(id);
        var key = RunViewCache.KeyOf("regression", id, head.Status, head.FinishedAt, registry);
        if (key is not null && cache.TryGet(key, out RegressionPoint cached)) return TypedResults.Ok(cached);

        var (session, problem) = await RunSessions.RebuildAsync(db, id, options.Value.DataDirectory, ct);
        if (problem is not null) return problem;
        if (!RegressionView.Applies(session!))
            return Problems.Conflict($"run {id} is not a 1-feature regression ({session!.Network.Inputs} inputs, {session.Network.Outputs} outputs{(session.Train.Labels is null ? "" : ", classification")}); a regression view needs a regression dataset of one feature (linear, sine, a 1-column CSV)");

        await RunSessions.RestoreLastCheckpointAsync(db, id, session!, ct);
        var view = RegressionPoint.Compute(session!, RegressionView.Bounds(session!));
        if (key is not null) cache.Set(key, view);
        return TypedResults.Ok(view);
    }
}
