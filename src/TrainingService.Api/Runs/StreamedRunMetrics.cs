using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using TrainingService.Api.Contracts;

namespace TrainingService.Api.Runs;

/// <summary>
/// The answer of <c>GET /api/runs/{id}/metrics</c> without <c>maxPoints</c>: the same JSON as <see cref="RunMetrics"/>
/// (<c>{ steps, epochs }</c>, with the service's JSON options), but the steps are written as they are read, a page at a
/// time (<see cref="Rollups.StepReader.RawStreamAsync"/>), so the request's memory is one page and the serializer's
/// buffer whatever the range's length. The epochs (one row per epoch of the run) are read whole, as in every read of
/// the metrics. OpenAPI describes the endpoint's 200 as <see cref="RunMetrics"/>.
/// </summary>
public sealed class StreamedRunMetrics(IAsyncEnumerable<StepPoint> steps, IReadOnlyList<EpochPoint> epochs) : IResult
{
    private sealed record Body(IAsyncEnumerable<StepPoint> Steps, IReadOnlyList<EpochPoint> Epochs);

    public async Task ExecuteAsync(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, new Body(steps, epochs), options, http.RequestAborted);
    }
}
