using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
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
/// Bounded: the first <see cref="MaxFilters"/> filters, <see cref="MaxChannels"/> channels, 409 for kernels over
/// <see cref="MaxKernelArea"/> cells.</summary>
public static class RunFiltersApi
{
    public const int MaxFilters = 64;
    public const int MaxChannels = 4;
    public const int MaxKernelArea = 32 * 32;

    public static void MapRunFilters(this RouteGroupBuilder runs)
    {
        runs.MapGet("/{id:long}/filters", GetAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Limits.ExpensiveReads)
            .WithSummary($"The first conv2d layer's filters at the last stored checkpoint (epoch 0 = initial weights): weights[filter][channel] is a kernel-height × kernel-width image, row-major; at most {MaxFilters} filters and {MaxChannels} channels; 409 unless the run has a conv2d layer");
    }

    private static async Task<Results<Ok<FiltersDto>, ProblemHttpResult>> GetAsync(
        long id, TrainingDbContext db, RunViewCache cache, RunRegistry registry, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        var head = await db.Runs.Where(r => r.Id == id).Select(r => new { r.Status, r.FinishedAt }).FirstOrDefaultAsync(ct);
        if (head is null) return RunsApi.RunNotFound(id);
        var key = RunViewCache.KeyOf("filters", id, head.Status, head.FinishedAt, registry);
        if (key is not null && cache.TryGet(key, out FiltersDto cached)) return TypedResults.Ok(cached);

        var (session, problem) = await RunSessions.RebuildAsync(db, id, options.Value.DataDirectory, ct);
        if (problem is not null) return problem;
        int index = session!.Network.Layers.ToList().FindIndex(l => l is Conv2d);
        if (index < 0) return Problems.Conflict($"run {id} has no conv2d layer: filters are drawn for convolutional networks (model.layers)");
        var conv = (Conv2d)session.Network.Layers[index];
        if (conv.Kernel.H * conv.Kernel.W > MaxKernelArea)
            return Problems.Conflict($"run {id}'s first conv2d kernel is {conv.Kernel.H}×{conv.Kernel.W}; filters are drawn for kernels of at most {MaxKernelArea} cells");

        await RunSessions.RestoreLastCheckpointAsync(db, id, session!, ct);
        var dto = FiltersDto.Of(session.Epoch, index, conv);
        if (key is not null) cache.Set(key, dto);
        return TypedResults.Ok(dto);
    }
}

/// <summary><c>GET /api/runs/{id}/filters</c>: <see cref="Weights"/>[filter][channel] holds <see cref="KernelHeight"/> ×
/// <see cref="KernelWidth"/> values, row-major (PyTorch's layout); <see cref="Filters"/> and <see cref="Channels"/> are the
/// layer's, the arrays hold the first <see cref="RunFiltersApi.MaxFilters"/> / <see cref="RunFiltersApi.MaxChannels"/>.
/// <see cref="Layer"/> is the conv layer's index in the built network (its parameters are layers[Layer].weight).</summary>
public sealed record FiltersDto(int Epoch, int Layer, int Filters, int Channels, int KernelHeight, int KernelWidth, float Min, float Max, float[][][] Weights)
{
    public static FiltersDto Of(int epoch, int layer, Conv2d conv)
    {
        int channels = conv.Input.Channels, area = conv.Kernel.H * conv.Kernel.W, window = channels * area;
        int shownFilters = Math.Min(conv.Filters, RunFiltersApi.MaxFilters), shownChannels = Math.Min(channels, RunFiltersApi.MaxChannels);
        float[] w = conv.Weights.Data;
        var weights = new float[shownFilters][][];
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        for (int f = 0; f < shownFilters; f++)
        {
            weights[f] = new float[shownChannels][];
            for (int c = 0; c < shownChannels; c++)
            {
                weights[f][c] = w.AsSpan(f * window + c * area, area).ToArray();
                foreach (float x in weights[f][c]) { min = Math.Min(min, x); max = Math.Max(max, x); }
            }
        }
        return new(epoch, layer, conv.Filters, channels, conv.Kernel.H, conv.Kernel.W, min, max, weights);
    }
}
