using Microsoft.AspNetCore.Http.HttpResults;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Hosting;

/// <summary>RFC 9457 problem+json answers used by every feature.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not Found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ValidationProblem Invalid(string path, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = [message] });

    /// <summary>Every spec error under its JSON path (a path with several problems lists them all).</summary>
    public static ValidationProblem Invalid(IEnumerable<SpecError> errors) =>
        TypedResults.ValidationProblem(errors
            .GroupBy(e => e.Path)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
}
