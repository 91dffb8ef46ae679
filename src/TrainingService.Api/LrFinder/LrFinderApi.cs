using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TrainingService.Api.Contracts;
using TrainingService.Api.Datasets;
using TrainingService.Api.Hosting;
using TrainingService.Api.Runs;
using TrainingService.Data;
using TrainingService.Engine.Data;
using TrainingService.Engine.Training;

namespace TrainingService.Api.LrFinder;

/// <summary><c>/api/lr-finder</c>: the learning-rate range test as a run (<see cref="LrFinderSpecs"/>); its summary carries
/// <c>suggestedLearningRate</c> once it has trained.</summary>
public static class LrFinderApi
{
    public static RouteGroupBuilder MapLrFinder(this IEndpointRouteBuilder app)
    {
        var finder = app.MapGroup("/api/lr-finder").WithTags("LrFinder").ProducesProblem(StatusCodes.Status500InternalServerError);
        finder.MapPost("/", CreateAsync)
            .Accepts<LrFinderRequest>("application/json")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Find the learning rate: a short run raising the rate exponentially every step until the loss explodes; poll the run for summary.suggestedLearningRate");
        return finder;
    }

    private static async Task<Results<Created<RunDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, TrainingDbContext db, IRunEvents events, IOptions<TrainingOptions> options,
        RunQuota quota, ApiKeyCheck key, CancellationToken ct)
    {
        RunPlan plan;
        try
        {
            var body = await SpecJson.ParseAsync<LrFinderRequest>(request.Body, ct);
            await UploadMirror.EnsureAsync(db, options.Value.DataDirectory, body.Spec?.Dataset?.Name, ct);
            plan = LrFinderSpecs.Build(body, options.Value.DataDirectory, options.Value.SubmissionLimits());
        }
        catch (SpecException e)
        {
            return Problems.Invalid(e.Errors);
        }
        catch (Exception e) when (e is ArgumentException or DataFormatException or InvalidDataException)
        {
            return Problems.Invalid("spec.dataset", e.Message);
        }

        return await RunsApi.QueueAsync(plan, request, db, events, quota, key, ct);
    }
}
