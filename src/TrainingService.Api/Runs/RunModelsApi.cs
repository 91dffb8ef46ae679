using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Runs;

/// <summary>A succeeded run's model file, and predictions with it.</summary>
public static class RunModelsApi
{
    public const int MaxPredictRows = 10_000;

    public static void MapRunModels(this RouteGroupBuilder runs)
    {
        runs.MapGet("/{id:long}/model", GetAsync)
            .Produces<ModelFile>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The trained model (weights, standardisation, class names); 404 until the run has succeeded");
        runs.MapPost("/{id:long}/predict", PredictAsync)
            .Accepts<PredictRequest>("application/json", "multipart/form-data").DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("predict")
            .WithSummary("Predict raw feature rows (JSON) or image files (multipart, prepared as the run's image set was) with the run's model")
            .WithDescription("JSON rows answer PredictResponse; image files answer ImagePredictResponse: per file its class, label and every class's probability.");
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetAsync(long id, TrainingDbContext db, CancellationToken ct)
    {
        string? json = await db.Models.Where(m => m.RunId == id).Select(m => m.Json).FirstOrDefaultAsync(ct);
        return json is not null ? TypedResults.Text(json, "application/json") : await NoModelAsync(db, id, ct);
    }

    private static async Task<Results<Ok<PredictResponse>, JsonHttpResult<ImagePredictResponse>, ValidationProblem, ProblemHttpResult>> PredictAsync(
        long id, HttpRequest request, TrainingDbContext db, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        string? json = await db.Models.Where(m => m.RunId == id).Select(m => m.Json).FirstOrDefaultAsync(ct);
        if (json is null) return await NoModelAsync(db, id, ct);
        if (request.HasFormContentType) return await ImagePredictions.PredictAsync(id, request, ModelFile.FromJson(json), db, options.Value, ct);

        PredictRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<PredictRequest>(request.Body, SpecJson.Options, ct);
        }
        catch (JsonException e)
        {
            return Problems.Invalid(SpecJson.ToSpecPath(e.Path), SpecJson.Describe(e));
        }
        if (body?.Rows is not { } rows) return Problems.Invalid("rows", "required: an array of feature rows, e.g. {\"rows\": [[0.5, 1.2]]}");
        if (rows.Count > MaxPredictRows) return Problems.Invalid("rows", $"at most {MaxPredictRows} rows per call, got {rows.Count}");

        var predictor = new Predictor(ModelFile.FromJson(json));
        var errors = new List<SpecError>();
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i] is null) errors.Add(new($"rows[{i}]", $"must be an array of {predictor.Inputs} numbers"));
            else if (rows[i].Length != predictor.Inputs) errors.Add(new($"rows[{i}]", $"has {rows[i].Length} values, expected {predictor.Inputs}"));
            else if (rows[i].Any(v => !float.IsFinite(v))) errors.Add(new($"rows[{i}]", "values must be finite numbers"));
        }
        if (errors.Count > 0) return Problems.Invalid(SpecError.Cap(errors));
        return TypedResults.Ok(new PredictResponse(predictor.Predict(rows)));
    }

    private static async Task<ProblemHttpResult> NoModelAsync(TrainingDbContext db, long id, CancellationToken ct)
    {
        string? status = await db.Runs.Where(r => r.Id == id).Select(r => r.Status).FirstOrDefaultAsync(ct);
        return status is null ? RunsApi.RunNotFound(id) : Problems.NotFound($"run {id} is {status}; a model exists once it has succeeded");
    }
}

/// <summary>Raw (unstandardised) feature rows, each as wide as the model's input.</summary>
public sealed record PredictRequest(List<float[]>? Rows);

/// <summary>One prediction per row: the output vector, and for classification the class index and label.</summary>
public sealed record PredictResponse(IReadOnlyList<Prediction> Predictions);
