using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TrainingService.Api.Worker;
using TrainingService.Data;

namespace TrainingService.Api.Hosting;

/// <summary>/readyz: the database answers and (where this node trains) the worker loop is alive.</summary>
public sealed class Readiness(IDbContextFactory<TrainingDbContext> dbf, WorkerHealth worker, IOptions<TrainingOptions> options) : IHealthCheck
{
    public const string Tag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var db = await dbf.CreateDbContextAsync(ct);
        if (!await db.Database.CanConnectAsync(ct)) return HealthCheckResult.Unhealthy("database unreachable");
        if (options.Value.Trains && !worker.IsRunning) return HealthCheckResult.Unhealthy("training worker not running");
        return HealthCheckResult.Healthy();
    }
}
