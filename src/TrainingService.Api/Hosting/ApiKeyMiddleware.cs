using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TrainingService.Api.Hosting;

/// <summary>The service's API key (<see cref="TrainingOptions.ApiKey"/>) and who presents it.</summary>
public sealed class ApiKeyCheck(IOptions<TrainingOptions> options)
{
    public const string Header = "X-Api-Key";
    /// <summary>What the SignalR client sends when given an accessTokenFactory (browsers cannot set websocket headers).</summary>
    public const string QueryParameter = "access_token";

    // Hashes compare in constant time whatever the lengths, so neither the key nor its length leaks.
    private readonly byte[]? _keyHash = options.Value.ApiKey is { Length: > 0 } key ? Hash(key) : null;

    public bool Configured => _keyHash is not null;

    public bool Matches(string? presented) =>
        _keyHash is not null && presented is not null && CryptographicOperations.FixedTimeEquals(Hash(presented), _keyHash);

    /// <summary><c>X-Api-Key</c>, else <c>Authorization: Bearer</c> (SignalR's negotiate), else, on the hub only,
    /// <c>access_token</c> in the query (SignalR's websocket). A key in a REST URL is not read: URLs end up in logs.</summary>
    public static string? Presented(HttpRequest r)
    {
        if (r.Headers[Header] is { Count: > 0 } h) return h.ToString();
        string auth = r.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return auth["Bearer ".Length..].Trim();
        if (r.Path.StartsWithSegments(Hub) && r.Query.TryGetValue(QueryParameter, out var q)) return q.ToString();
        return null;
    }

    /// <summary>Who a request counts against for rate limits and queue quotas: its key when it presents the right
    /// one (a hash, never the key), else its IP address.</summary>
    public string ClientOf(HttpContext context)
    {
        string? presented = Presented(context.Request);
        return Matches(presented)
            ? "key:" + Convert.ToHexString(Hash(presented!), 0, 8)
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "local");
    }

    internal static readonly PathString Hub = "/hubs";

    private static byte[] Hash(string s) => SHA256.HashData(Encoding.UTF8.GetBytes(s));
}

/// <summary>
/// With an API key configured: every mutating request (any method but GET, HEAD and OPTIONS, whatever the route, so
/// routes added later are covered) and every request to the hub (negotiate and websocket) need the key; reads under
/// /api need it when <see cref="TrainingOptions.ProtectReads"/> is set. Else 401 problem+json. The dashboard's
/// files, Swagger and the health endpoints stay open, so the dashboard can load and ask for the key.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyCheck key, IOptions<TrainingOptions> options, IProblemDetailsService problems)
{
    public const string Header = ApiKeyCheck.Header;
    private readonly bool _protectReads = options.Value.ProtectReads;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!key.Configured || !NeedsKey(context.Request) || key.Matches(ApiKeyCheck.Presented(context.Request)))
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = 401, Title = "Unauthorized",
                Detail = context.Request.Path.StartsWithSegments(ApiKeyCheck.Hub)
                    ? $"the live hub needs the service's API key ({Header} header, or {ApiKeyCheck.QueryParameter} as the SignalR client sends it)"
                    : $"this call needs the {Header} header with the service's API key",
            },
        });
    }

    private bool NeedsKey(HttpRequest r) =>
        IsMutating(r.Method) || r.Path.StartsWithSegments(ApiKeyCheck.Hub) || _protectReads && r.Path.StartsWithSegments("/api");

    public static bool IsMutating(string method) => !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));
}
