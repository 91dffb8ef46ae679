using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Runs;

/// <summary>For runs with a conv2d layer: one test row (as the network sees it, after the run's standardisation) through
/// every layer of the built network (activations right after a conv or dense layer are fused into it) at the last stored
/// checkpoint. Bounded: per layer the first <see cref="MaxMaps"/> channels of at most <see cref="MaxMapCells"/> cells
/// each (larger maps are left out, <c>maps</c> empty), a flat layer's first <see cref="MaxValues"/> values.</summary>
public static class RunFeatureMapsApi
{
    public const int MaxMaps = 16;
    public const int MaxMapCells = 64 * 64;
    public const int MaxValues = 256;

    public static void MapRunFeatureMaps(this RouteGroupBuilder runs)
    {
        runs.MapGet("/{id:long}/featuremaps", GetAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Limits.ExpensiveReads)
            .WithSummary($"Test row `row` (default 0) through every layer at the last stored checkpoint: each layer's output shape and its first {MaxMaps} maps (H×W, row-major; flat layers: the first {MaxValues} values); 409 unless the run has a conv2d layer; 400 when row is not a test row");
    }

    private static async Task<Results<Ok<FeatureMapsDto>, ValidationProblem, ProblemHttpResult>> GetAsync(
        long id, string? row, TrainingDbContext db, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Query.TryInt(row, "row", 0, 0, int.MaxValue, out int r, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var (session, problem) = await RunSessions.RebuildAsync(db, id, options.Value.DataDirectory, ct);
        if (problem is not null) return problem;
        if (!session!.Network.Layers.Any(l => l is Conv2d))
            return Problems.Conflict($"run {id} has no conv2d layer: feature maps are drawn for convolutional networks (model.layers)");
        if (r >= session.Test.Count)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["row"] = [$"must be below {session.Test.Count} (the test split's rows), got {r}"] });

        await RunSessions.RestoreLastCheckpointAsync(db, id, session, ct);

        var net = session.Network;
        var ws = net.CreateWorkspace(1, withGradients: false); // no gradients: evaluation (dropout passes through)
        var x = new Matrix(1, net.Inputs, session.Test.X.AsSpan(r * net.Inputs, net.Inputs).ToArray());
        net.Forward(x, ws);
        var layers = new List<FeatureMapLayer> { FeatureMapLayer.Of(-1, "input", net.InputShape, x.Data) };
        for (int l = 0; l < net.Layers.Count; l++)
            layers.Add(FeatureMapLayer.Of(l, Kind(net.Layers[l]), net.Layers[l].Output, ws.A[l].Data));
        int? label = session.Test.Labels?[r];
        return TypedResults.Ok(new FeatureMapsDto(session.Epoch, r, session.Test.Count, label,
            label is int c && session.ClassNames is { } names && c < names.Length ? names[c] : null, layers));
    }

    private static string Kind(ILayer layer) =>
        layer is Conv2d or Dense && layer.Activation.Name != "identity" ? $"{layer.Kind}+{layer.Activation.Name}" : layer.Kind;
}

/// <summary><c>GET /api/runs/{id}/featuremaps?row=</c>: the test row's label and every layer's output, the input first
/// (<c>index</c> −1).</summary>
public sealed record FeatureMapsDto(int Epoch, int Row, int TestRows, int? Label, string? LabelName, IReadOnlyList<FeatureMapLayer> Layers);

/// <summary>One layer's output for one row: <see cref="Shape"/> is [C, H, W] or [n]; <see cref="Maps"/> the first
/// channels' H×W maps (spatial layers), <see cref="Values"/> the first values (flat layers).</summary>
public sealed record FeatureMapLayer(int Index, string Kind, int[] Shape, float Min, float Max, float[][] Maps, float[] Values)
{
    public static FeatureMapLayer Of(int index, string kind, Shape shape, float[] output)
    {
        int size = shape.Size;
        var all = output.AsSpan(0, size);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in all) { min = Math.Min(min, v); max = Math.Max(max, v); }
        if (shape.IsFlat)
            return new(index, kind, [size], min, max, [], all[..Math.Min(size, RunFeatureMapsApi.MaxValues)].ToArray());
        int cells = shape.Height * shape.Width;
        var maps = cells > RunFeatureMapsApi.MaxMapCells ? []
            : Enumerable.Range(0, Math.Min(shape.Channels, RunFeatureMapsApi.MaxMaps)).Select(c => output.AsSpan(c * cells, cells).ToArray()).ToArray();
        return new(index, kind, [shape.Channels, shape.Height, shape.Width], min, max, maps, []);
    }
}
