using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace TrainingService.Api.Hosting;

/// <summary>
/// Without an API key, anyone who reaches the service can submit, cancel and delete runs, so by default it then
/// listens on loopback only. Explicit URLs (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>Kestrel:Endpoints</c>) are
/// taken as a deliberate choice and kept; ports alone (<c>ASPNETCORE_HTTP_PORTS</c>, which container base images
/// set) are bound on 127.0.0.1. <c>Training__AllowRemoteWithoutKey=true</c> keeps the usual binding. Either way the
/// start-up log says what is open to whom.
/// </summary>
public static class Exposure
{
    public static void BindLoopbackWithoutKey(this WebApplicationBuilder builder)
    {
        var training = builder.Configuration.GetSection(TrainingOptions.Section);
        if (!string.IsNullOrEmpty(training[nameof(TrainingOptions.ApiKey)]) || training.GetValue<bool>(nameof(TrainingOptions.AllowRemoteWithoutKey)))
            return;
        if (!string.IsNullOrEmpty(builder.Configuration["urls"]) || builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
            return;
        string[] ports = (builder.Configuration["http_ports"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.WebHost.UseUrls(ports.Length > 0 ? ports.Select(p => $"http://127.0.0.1:{p}").ToArray() : ["http://localhost:5000"]);
    }

    /// <summary>Logs, once listening, whether a key guards the service and, without one, where it can be reached.</summary>
    public static void LogExposureAtStart(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var key = app.Services.GetRequiredService<ApiKeyCheck>();
            var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TrainingOptions>>().Value;
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TrainingService.Access");
            if (key.Configured)
            {
                log.LogInformation("API key set: mutating calls and the live hub need it{Reads}", options.ProtectReads ? ", and so do reads under /api" : "; reads are open");
                return;
            }
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var open = addresses.Where(a => !IsLoopback(a)).ToList();
            if (open.Count == 0)
                log.LogWarning("No API key (Training__ApiKey) is set: anyone on this machine can submit, cancel and delete runs. " +
                    "Listening on loopback only ({Addresses}); set Training__ApiKey before exposing the service.", string.Join(", ", addresses));
            else
                log.LogWarning("No API key (Training__ApiKey) is set and the service listens on {Addresses}: anyone who can reach it can submit, " +
                    "cancel and delete runs. Set Training__ApiKey.", string.Join(", ", open));
        });
    }

    public static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri)) return false;
        return uri.IsLoopback || IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
