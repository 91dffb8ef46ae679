using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Data;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Runs;

/// <summary>
/// For succeeded classification runs: the confusion matrix of the stored model on the run's test split (rebuilt from the
/// resolved spec: same seed, same split) and the test rows it got wrong most confidently, with their raw feature values
/// (pixels for image sets, with the sample's shape). One forward pass over the test split, as the run's own test
/// evaluation; answers are cached per run (<see cref="RunViewCache"/>): a succeeded run never changes.
/// </summary>
public static class RunDiagnosticsApi
{
    public const int DefaultExamples = 12;
    public const int MaxExamples = 64;
    /// <summary>The matrix has classes² cells; past this many classes it is refused rather than sent.</summary>
    public const int MaxClasses = 100;

    public static void MapRunDiagnostics(this RouteGroupBuilder runs)
    {
        runs.MapGet("/{id:long}/diagnostics", GetAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Limits.ExpensiveReads)
            .WithSummary($"Confusion matrix on the test split and the most confidently wrong test examples (at most {MaxExamples}); 409 unless the run succeeded and classifies");
    }

    private static async Task<Results<Ok<DiagnosticsDto>, ValidationProblem, ProblemHttpResult>> GetAsync(
        long id, string? examples, TrainingDbContext db, RunViewCache cache, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Query.TryInt(examples, "examples", DefaultExamples, 0, MaxExamples, out int k, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var head = await db.Runs.Where(r => r.Id == id).Select(r => new { r.Status, r.FinishedAt }).FirstOrDefaultAsync(ct);
        if (head is null) return RunsApi.RunNotFound(id);
        if (head.Status != RunStatus.Succeeded || head.FinishedAt is not { } finished)
            return Problems.Conflict($"run {id} is {head.Status}; diagnostics need a succeeded run's model");
        var key = new RunViewCache.Key("diagnostics", id, finished, k.ToString(CultureInfo.InvariantCulture));
        if (cache.TryGet(key, out DiagnosticsDto cached)) return TypedResults.Ok(cached);

        string? json = await db.Models.Where(m => m.RunId == id).Select(m => m.Json).FirstOrDefaultAsync(ct);
        if (json is null) return Problems.Conflict($"run {id} has no stored model");
        var (session, problem) = await RunSessions.RebuildAsync(db, id, options.Value.DataDirectory, ct);
        if (problem is not null) return problem;
        var classes = session!.ClassNames;
        if (session.Test.Labels is null || classes is null)
            return Problems.Conflict($"run {id} is a regression run; a confusion matrix needs a classification dataset");
        if (classes.Length > MaxClasses)
            return Problems.Conflict($"run {id} has {classes.Length} classes; the confusion matrix is shown for at most {MaxClasses}");

        var matrix = ConfusionMatrix.Compute(ModelFile.FromJson(json).BuildNetwork(), session.Test, classes.Length, k, ct);
        var shape = ImageShape(session.Spec.Dataset!.Name!, session.Test.Features, options.Value.DataDirectory);
        var dto = new DiagnosticsDto(
            session.Test.Count, classes, matrix.Counts, shape, shape is null ? session.FeatureNames : null,
            matrix.MostConfidentlyWrong.Select(w => new WrongExample(
                w.Row, w.Label, w.Predicted, classes[w.Label], classes[w.Predicted], w.Confidence, w.Output,
                RawRow(session.Test, w.Row, session.Standardizer))).ToList());
        cache.Set(key, dto);
        return TypedResults.Ok(dto);
    }

    /// <summary>The row as the dataset holds it (standardisation undone), so pixels draw as pixels.</summary>
    private static float[] RawRow(EncodedSplit split, int row, Standardizer? standardizer)
    {
        var x = split.X.AsSpan(row * split.Features, split.Features).ToArray();
        if (standardizer is { } s)
            for (int j = 0; j < x.Length; j++) x[j] = x[j] * s.Std[j] + s.Mean[j];
        return x;
    }

    /// <summary>[channels, height, width] of an image set's sample, or null for tables.</summary>
    private static int[]? ImageShape(string dataset, int features, string dataDirectory) =>
        DatasetCatalog.List(dataDirectory).FirstOrDefault(d => d.Name == dataset)?.Shape is { IsFlat: false } s && s.Size == features
            ? [s.Channels, s.Height, s.Width]
            : null;
}

/// <summary><c>GET /api/runs/{id}/diagnostics</c>. <see cref="Matrix"/>[true][predicted] counts the test rows (it sums to
/// <see cref="TestCount"/>); <see cref="Shape"/> is an image sample's [channels, height, width] (null for tables, whose
/// columns are <see cref="FeatureNames"/>).</summary>
public sealed record DiagnosticsDto(
    int TestCount, string[] ClassNames, long[][] Matrix, int[]? Shape, string[]? FeatureNames, IReadOnlyList<WrongExample> MostConfidentlyWrong);

/// <summary>A wrongly predicted test row: its index in the test split, the true and predicted class (index and name), the
/// model's output for the predicted class (its probability for softmax and sigmoid outputs), the whole output, and the
/// row's raw values.</summary>
public sealed record WrongExample(
    int Row, int Label, int Predicted, string LabelName, string PredictedName, float Confidence, float[] Output, float[] Features);
