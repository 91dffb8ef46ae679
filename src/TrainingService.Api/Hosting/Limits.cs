using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace TrainingService.Api.Hosting;

/// <summary>Rate limits on mutating requests and expensive reads, and request body sizes (the other limits sit where
/// they apply: CSV rows and columns in the upload, queued runs in <c>RunQuota</c>, subscriptions in the hub, grid
/// costs in <c>GridLimits</c>).</summary>
public static class Limits
{
    /// <summary>The policy expensive reads name with <c>RequireRateLimiting</c>: a fixed window of
    /// <see cref="TrainingOptions.ReadRateLimitPermits"/> per client, counted apart from the mutating requests.</summary>
    public const string ExpensiveReads = "expensive-reads";

    /// <summary>A fixed window of <see cref="TrainingOptions.RateLimitPermits"/> mutating requests per client (its
    /// API key when it presents the right one, else its IP address), and the <see cref="ExpensiveReads"/> policy;
    /// other reads and the hub are not limited here. Rejected: 429 problem+json with Retry-After.</summary>
    public static IServiceCollection AddMutationRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<TrainingOptions>, ApiKeyCheck>((o, training, key) =>
        {
            var t = training.Value;
            o.AddPolicy(ExpensiveReads, context => t.ReadRateLimitPermits == 0
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetFixedWindowLimiter(key.ClientOf(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = t.ReadRateLimitPermits,
                    Window = TimeSpan.FromSeconds(t.RateLimitWindowSeconds),
                    QueueLimit = 0,
                }));
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                t.RateLimitPermits == 0 || !ApiKeyMiddleware.IsMutating(context.Request.Method) || context.Request.Path.StartsWithSegments(ApiKeyCheck.Hub)
                    ? RateLimitPartition.GetNoLimiter("")
                    : RateLimitPartition.GetFixedWindowLimiter(key.ClientOf(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = t.RateLimitPermits,
                        Window = TimeSpan.FromSeconds(t.RateLimitWindowSeconds),
                        QueueLimit = 0,
                    }));
            o.OnRejected = async (rejected, ct) =>
            {
                var http = rejected.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                string wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry)
                    ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture)
                    : t.RateLimitWindowSeconds.ToString(CultureInfo.InvariantCulture);
                http.Response.Headers.RetryAfter = wait;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = 429, Title = "Too Many Requests",
                        // Only mutating requests meet the global limiter, only reads name the read policy.
                        Detail = ApiKeyMiddleware.IsMutating(http.Request.Method)
                            ? $"at most {t.RateLimitPermits} changes per {t.RateLimitWindowSeconds} s per client; retry after {wait} s"
                            : $"at most {t.ReadRateLimitPermits} expensive reads (landscape, boundary, regression, metrics CSV) per {t.RateLimitWindowSeconds} s per client; retry after {wait} s",
                    },
                });
            };
        });
        return services;
    }

    /// <summary>Bodies over <see cref="TrainingOptions.MaxRequestBodyBytes"/> (multipart forms: the larger of MaxUploadBytes
    /// and MaxImageZipBytes plus room for the form; the form reader holds each file to its own limit) are refused with 413 problem+json: up front when Content-Length says so, else by Kestrel
    /// while the body is read (its BadHttpRequestException becomes the same 413).</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<TrainingOptions>>().Value;
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            long limit = request.HasFormContentType ? Math.Max(options.MaxUploadBytes, options.MaxImageZipBytes) + 64 * 1024 : options.MaxRequestBodyBytes;
            if (request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = 413, Title = "Payload Too Large",
                        Detail = $"the request body has {request.ContentLength} bytes; the limit is {limit}",
                    },
                });
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
            await next(context);
        });
    }
}
