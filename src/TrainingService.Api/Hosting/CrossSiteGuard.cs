using Microsoft.Extensions.Options;

namespace TrainingService.Api.Hosting;

/// <summary>
/// Cross-site request forgery and DNS rebinding. A page on another site can send a "simple" request (a form post, or
/// <c>fetch(url, { mode: 'no-cors' })</c>) to the service without CORS ever asking: it cannot read the answer, but the
/// run is cancelled all the same. So every mutating request and every request to the live hub must come from the
/// dashboard's own origin, unless it authenticates with the API key (which a cross-site page can neither know nor send
/// without a CORS preflight this service never grants). The browser says where a request comes from in
/// <c>Sec-Fetch-Site</c> (<c>same-origin</c>, or <c>none</c> when the user typed the address); older browsers only send
/// <c>Origin</c>, which must then name this host. Clients that are not browsers (curl, the CLI, scripts) send neither
/// and pass. <c>same-site</c> is refused too: another port of localhost is the same site.
/// <para>
/// Without an API key (and without <see cref="TrainingOptions.AllowRemoteWithoutKey"/>), the <c>Host</c> must also be a
/// loopback name: otherwise a remote page whose DNS name is re-pointed at 127.0.0.1 (DNS rebinding) would be
/// "same-origin" with the service. /healthz and /readyz stay open to any Host for probes.
/// </para>
/// Refusals: 403 (cross-site) or 400 (Host) problem+json saying why and what to do.
/// </summary>
public sealed class CrossSiteGuard(RequestDelegate next, ApiKeyCheck key, IOptions<TrainingOptions> options, IProblemDetailsService problems)
{
    private readonly bool _loopbackHostsOnly = !key.Configured && !options.Value.AllowRemoteWithoutKey;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (_loopbackHostsOnly && !IsProbe(request.Path) && !IsLoopbackHost(request.Host))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "Bad Request",
                $"the Host '{Shorten(request.Host.Host)}' is not a loopback name: with no API key (Training__ApiKey) the service answers " +
                "only localhost, 127.0.0.1 and ::1 (other names could be DNS rebinding). Set Training__ApiKey to serve other names.");
            return;
        }
        if ((ApiKeyMiddleware.IsMutating(request.Method) || request.Path.StartsWithSegments(ApiKeyCheck.Hub))
            && IsCrossSite(request) && !key.Matches(ApiKeyCheck.Presented(request)))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "Forbidden",
                "cross-site request refused: changes and the live hub are only accepted from the dashboard's own origin " +
                $"(or with the {ApiKeyCheck.Header} header when an API key is set)");
            return;
        }
        await next(context);
    }

    /// <summary>Whether the browser says the request was made by a page of another origin.</summary>
    public static bool IsCrossSite(HttpRequest request)
    {
        string site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return !(site.Equals("same-origin", StringComparison.OrdinalIgnoreCase) || site.Equals("none", StringComparison.OrdinalIgnoreCase));
        string origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return false; // not a browser, or a same-origin GET
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var from)) return true; // "null" (sandboxed frames, file://) and garbage
        // Scheme is not compared: a TLS-terminating proxy turns the browser's https into http here.
        return !string.Equals(from.Authority, AuthorityOf(request.Host, from.Scheme), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The Host header as <see cref="Uri.Authority"/> prints it: no port when it is the scheme's default.</summary>
    private static string AuthorityOf(HostString host, string scheme)
    {
        int? defaultPort = scheme == Uri.UriSchemeHttps ? 443 : scheme == Uri.UriSchemeHttp ? 80 : null;
        return host.Port is { } port && port != defaultPort ? $"{host.Host}:{port}" : host.Host;
    }

    public static bool IsLoopbackHost(HostString host)
    {
        string name = host.Host.Trim('[', ']');
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        return System.Net.IPAddress.TryParse(name, out var ip) && System.Net.IPAddress.IsLoopback(ip);
    }

    private static bool IsProbe(PathString path) => path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");

    private static string Shorten(string s) => s.Length <= 100 ? s : s[..100] + "…";

    private ValueTask RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = { Status = status, Title = title, Detail = detail } });
    }
}
