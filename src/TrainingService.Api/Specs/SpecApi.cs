using Microsoft.AspNetCore.Http.HttpResults;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Specs;

/// <summary><c>GET /api/spec</c>: the spec's vocabulary (optimizers, schedules, activations, losses, init schemes, gradient
/// modes, layer kinds, built-in datasets; each with its fields, defaults and ranges) — what the dashboard's form is built from.</summary>
public static class SpecApi
{
    public static RouteHandlerBuilder MapSpec(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/spec", () => TypedResults.Ok(VocabularyDocument.Current))
            .WithTags("Spec")
            .WithSummary("The spec vocabulary: every optimizer, schedule, activation, loss, init, gradient mode, layer kind and built-in dataset, with fields, defaults and ranges");
}
