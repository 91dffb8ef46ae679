using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TrainingService.Api.Hosting;

/// <summary>When <see cref="TrainingOptions.ApiKey"/> is set, mutating calls under /api need <c>X-Api-Key</c>.
/// Reads stay open so dashboards work without a key.</summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<TrainingOptions> options, IProblemDetailsService problems)
{
    public const string Header = "X-Api-Key";
    // Hashes compare in constant time whatever the lengths, so neither the key nor its length leaks.
    private readonly byte[]? _keyHash = options.Value.ApiKey is { Length: > 0 } key ? SHA256.HashData(Encoding.UTF8.GetBytes(key)) : null;

    public async Task InvokeAsync(HttpContext context)
    {
        if (_keyHash is null || !IsMutatingApiCall(context.Request) || Matches(context.Request.Headers[Header].ToString()))
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = 401, Title = "Unauthorized", Detail = $"this call needs the {Header} header with the service's API key" },
        });
    }

    private bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _keyHash);

    private static bool IsMutatingApiCall(HttpRequest r) =>
        r.Path.StartsWithSegments("/api") && !(HttpMethods.IsGet(r.Method) || HttpMethods.IsHead(r.Method) || HttpMethods.IsOptions(r.Method));
}
