using Microsoft.AspNetCore.Diagnostics;

namespace TrainingService.Api.Hosting;

/// <summary>
/// A request that met a database blip (SQLite locked or full, PostgreSQL restarting, a connection reset) answers
/// 503 problem+json with <c>Retry-After</c> rather than 500: nothing is wrong with the request, and the same request
/// a moment later succeeds. Any other exception falls through to the default 500 problem.
/// </summary>
public sealed class StoreUnavailableHandler(IProblemDetailsService problems, ILogger<StoreUnavailableHandler> log) : IExceptionHandler
{
    public const int RetryAfterSeconds = 1;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (!StoreFaults.IsTransient(exception)) return false;
        log.LogWarning("{Method} {Path}: database unavailable ({Reason}); answered 503", context.Request.Method, context.Request.Path, StoreFaults.Reason(exception));
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service Unavailable",
                Detail = $"the database is unavailable for a moment; retry in {RetryAfterSeconds} s",
            },
        });
    }
}
