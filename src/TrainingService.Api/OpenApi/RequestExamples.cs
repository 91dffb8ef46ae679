using TrainingService.Api.Hosting;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using TrainingService.Api.Datasets;
using TrainingService.Api.LrFinder;
using TrainingService.Api.Races;
using TrainingService.Api.Runs;
using TrainingService.Api.Sweeps;
using TrainingService.Engine.Training;

namespace TrainingService.Api.OpenApi;

/// <summary>
/// Request bodies that Swagger UI's "Try it out" can send as they stand (without them it sends <c>"string"</c> for
/// every name, a 400): a small XOR run, a race of three optimizers on it, a sweep of its learning rate and width, a learning-rate finder on it, an edit of that run's labels, and a prediction for that run's two inputs
/// (predict's multipart body is described by <see cref="PredictImagesForm"/>).
/// The API tests post every example in the document to its endpoint, so an example that stops being valid fails them.
/// </summary>
public sealed class RequestExamples : IOperationFilter, ISchemaFilter
{
    private const string XorSpec = """
        {
          "name": "xor-tanh",
          "tags": ["demo"],
          "dataset": { "name": "xor", "samples": 200, "noise": 0.1 },
          "model": { "hidden": [8], "activation": "tanh" },
          "loss": "cross_entropy",
          "optimizer": { "type": "adam", "learningRate": 0.05 },
          "batchSize": 16,
          "epochs": 20,
          "seed": 1
        }
        """;

    private const string UploadName = "points";

    private static readonly Dictionary<Type, string> Bodies = new()
    {
        [typeof(RunSpec)] = XorSpec,
        [typeof(RaceRequest)] = $$"""
            {
              "name": "xor: sgd vs momentum vs adam",
              "base": {{XorSpec}},
              "variants": [
                { "optimizer": { "type": "sgd", "learningRate": 0.1 } },
                { "optimizer": { "type": "momentum", "learningRate": 0.1, "momentum": 0.9 } },
                { "optimizer": { "type": "adam", "learningRate": 0.05 } }
              ]
            }
            """,
        [typeof(SweepRequest)] = $$"""
            {
              "name": "xor: learning rate and width",
              "base": {{XorSpec}},
              "method": "random",
              "metric": { "name": "validationLoss", "goal": "minimize" },
              "parameters": {
                "optimizer.learningRate": { "distribution": "log_uniform", "min": 0.001, "max": 0.1 },
                "model.hidden": { "values": [[4], [8], [16]] }
              },
              "runCap": 6,
              "parallel": 2,
              "seed": 7,
              "earlyTerminate": { "type": "hyperband", "minEpochs": 3, "eta": 3 }
            }
            """,
        [typeof(LrFinderRequest)] = $$"""{ "spec": {{XorSpec}}, "minLearningRate": 1e-5, "maxLearningRate": 10, "steps": 60 }""",
        [typeof(RunEdit)] = """{ "name": "xor-tanh, 8 units", "tags": ["demo", "baseline"], "notes": "converges in about 10 epochs" }""",
        // Raw features of the XOR example's points: one per quadrant.
        [typeof(PredictRequest)] = """{ "rows": [[0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5], [0.5, -0.5]] }""",
    };

    /// <summary>JSON bodies: an example on the media type.</summary>
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        // A dataset's name in the path: the upload example's, so replacing it works once it is uploaded.
        if (context.ApiDescription.RelativePath?.StartsWith("api/datasets/{name}", StringComparison.Ordinal) == true)
            foreach (var p in operation.Parameters ?? [])
                if (p is OpenApiParameter { In: ParameterLocation.Path, Name: "name" } named) named.Example = JsonValue.Create(UploadName);
        var accepts = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAcceptsMetadata>().FirstOrDefault();
        if (accepts?.RequestType is not { } type || !Bodies.TryGetValue(type, out string? json)) return;
        if (operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true && media is OpenApiMediaType m)
            m.Example = JsonNode.Parse(json);
        // Predict's other body: image files, not the JSON rows as form fields.
        if (type == typeof(PredictRequest) && operation.RequestBody?.Content?.TryGetValue("multipart/form-data", out var form) == true && form is OpenApiMediaType f)
            f.Schema = context.SchemaGenerator.GenerateSchema(typeof(PredictImagesForm), context.SchemaRepository);
    }

    /// <summary>The upload and replace forms: Swagger UI fills text fields with their examples (else "string", which names no
    /// column): the name a CSV is stored under, and no target (the last column).</summary>
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type != typeof(DatasetUploadForm) && context.Type != typeof(DatasetReplaceForm) || schema is not OpenApiSchema s || s.Properties is null) return;
        if (s.Properties.TryGetValue("name", out var name) && name is OpenApiSchema n) n.Examples = [JsonValue.Create(UploadName)];
        if (s.Properties.TryGetValue("target", out var target) && target is OpenApiSchema t) t.Examples = [JsonValue.Create("")];
    }
}
