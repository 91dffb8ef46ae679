using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Api.Worker;
using TrainingService.Data;

namespace TrainingService.Api.Health;

/// <summary>/readyz: the database takes writes, this node's last write did not fail (a full disk lets a rolled-back
/// probe through but not the metrics), and (where this node trains) the worker loop is alive.</summary>
public sealed class Readiness(IDbContextFactory<TrainingDbContext> dbf, WorkerHealth worker, StoreHealth store, IOptions<TrainingOptions> options) : IHealthCheck
{
    public const string Tag = "ready";

    /// <summary>Seconds the probe write waits for a lock (SQLite's busy timeout, a PostgreSQL lock).</summary>
    private const int ProbeTimeoutSeconds = 2;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (store.Failure is { } failure) return HealthCheckResult.Unhealthy($"database not writable: {failure.Message}");
        try
        {
            await ProbeWriteAsync(ct);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"database not writable: {e.Message}");
        }
        if (options.Value.Trains && !worker.IsRunning) return HealthCheckResult.Unhealthy("training worker not running");
        return HealthCheckResult.Healthy();
    }

    /// <summary>A write that changes nothing, in a transaction rolled back: it takes SQLite's write lock (or
    /// PostgreSQL's table lock and a writable session), so a database that answers reads but not writes is not ready.</summary>
    private async Task ProbeWriteAsync(CancellationToken ct)
    {
        await using var db = await dbf.CreateDbContextAsync(ct);
        db.Database.SetCommandTimeout(ProbeTimeoutSeconds);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await using var probe = db.Database.GetDbConnection().CreateCommand();
        probe.Transaction = tx.GetDbTransaction();
        probe.CommandTimeout = ProbeTimeoutSeconds;
        probe.CommandText = """UPDATE "Runs" SET "Name" = "Name" WHERE "Id" = -1""";
        await probe.ExecuteNonQueryAsync(ct);
        await tx.RollbackAsync(ct);
    }
}
