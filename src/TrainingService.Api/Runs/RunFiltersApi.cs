using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Contracts;
using TrainingService.Api.Hosting;
using TrainingService.Api.Worker;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Runs;

/// <summary>For runs with a conv2d layer: the first conv layer's filters (its weights, one kh×kw image per filter and
/// input channel) at the last stored checkpoint, which the worker writes at epoch ends (at most every
/// Training__CheckpointIntervalMs, and always at the last); epoch 0 (the initial weights) before the first.
/// Bounded: the first <see cref="FiltersPoint.MaxFilters"/> filters, <see cref="FiltersPoint.MaxChannels"/> channels, 409 for kernels
/// over <see cref="FiltersPoint.MaxKernelArea"/> cells. The worker also pushes the same view live at every epoch end
/// (hub message <c>filters</c>, <see cref="Worker.FiltersPolicy"/>); this read serves a page opened on the run.</summary>
public static class RunFiltersApi
{
    public static void MapRunFilters(this RouteGroupBuilder runs)
    {
        runs.MapGet("/{id:long}/filters", GetAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Limits.ExpensiveReads)
            .WithSummary($"The first conv2d layer's filters at the last stored checkpoint (epoch 0 = initial weights): weights[filter][channel] is a kernel-height × kernel-width image, row-major; at most {FiltersPoint.MaxFilters} filters and {FiltersPoint.MaxChannels} channels; 409 unless the run has a conv2d layer");
    }

    private static async Task<Results<Ok<FiltersPoint>, ProblemHttpResult>> GetAsync(
        long id, TrainingDbContext db, RunViewCache cache, RunRegistry registry, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        var head = await db.Runs.Where(r => r.Id == id).Select(r => new { r.Status, r.FinishedAt }).FirstOrDefaultAsync(ct);
        if (head is null) return RunsApi.RunNotFound(id);
        var key = RunViewCache.KeyOf("filters", id, head.Status, head.FinishedAt, registry);
        if (key is not null && cache.TryGet(key, out FiltersPoint cached)) return TypedResults.Ok(cached);

        var (session, problem) = await RunSessions.RebuildAsync(db, id, options.Value.DataDirectory, ct);
        if (problem is not null) return problem;
        if (FiltersPoint.FirstConv(session!.Network) is not (int index, Conv2d conv))
            return Problems.Conflict($"run {id} has no conv2d layer: filters are drawn for convolutional networks (model.layers)");
        if (conv.Kernel.H * conv.Kernel.W > FiltersPoint.MaxKernelArea)
            return Problems.Conflict($"run {id}'s first conv2d kernel is {conv.Kernel.H}×{conv.Kernel.W}; filters are drawn for kernels of at most {FiltersPoint.MaxKernelArea} cells");

        await RunSessions.RestoreLastCheckpointAsync(db, id, session!, ct);
        var dto = FiltersPoint.Of(session.Epoch, index, conv);
        if (key is not null) cache.Set(key, dto);
        return TypedResults.Ok(dto);
    }
}
