using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace TrainingService.Api.Health;

/// <summary>Every role: liveness (<c>/healthz</c>), and readiness (<c>/readyz</c>: database writable; worker loop alive
/// where this node trains, <see cref="Readiness"/>).</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<Readiness>("database-and-worker", tags: [Readiness.Tag]);
        return services;
    }

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Readiness.Tag) });
    }
}
