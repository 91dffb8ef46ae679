using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Worker;

/// <summary>
/// Claims and leases, kept in the Runs table. A claim makes this worker (<c>Training__WorkerId</c>) the run's
/// <c>LeaseOwner</c> until <c>LeaseExpiresAt</c>, which the executor's heartbeat pushes forward; every write a worker
/// makes for a run is conditional on still owning it, so a worker that lost its lease (paused, cut off) cannot
/// overwrite the one that took over. Lease times are the database's clock: on PostgreSQL every lease is set and
/// compared with <c>now()</c> in SQL, so nodes whose clocks disagree still agree on whose lease has run out. On SQLite
/// one process owns the file, so its clock is the only one there is, and it is used directly.
/// </summary>
public sealed class RunClaims(IDbContextFactory<TrainingDbContext> dbf, TrainingStore store, IOptions<TrainingOptions> options)
{
    public string WorkerId => options.Value.WorkerId;
    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    /// <summary>SQLite (one process owns the file): at start, every run left <c>running</c> is this process's to resume.
    /// PostgreSQL: none here; runs whose lease expired are claimed by <see cref="ClaimNextAsync"/> like queued ones.</summary>
    public async Task<List<long>> TakeOverLeftRunningAsync(CancellationToken ct)
    {
        if (store.IsPostgres) return [];
        await using var db = await dbf.CreateDbContextAsync(ct);
        var expires = DateTime.UtcNow + Lease;
        await db.Runs.Where(r => r.Status == RunStatus.Running).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.LeaseOwner, WorkerId).SetProperty(r => r.LeaseExpiresAt, expires).SetProperty(r => r.Attempts, r => r.Attempts + 1), ct);
        return await db.Runs.Where(r => r.Status == RunStatus.Running && r.LeaseOwner == WorkerId).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(ct);
    }

    /// <summary>The next run to train, now leased to this worker, or null.</summary>
    public Task<long?> ClaimNextAsync(CancellationToken ct) => store.IsPostgres ? ClaimPostgresAsync(ct) : ClaimSqliteAsync(ct);

    /// <summary>PostgreSQL: in one transaction, lock the first claimable row nobody else has locked (a run whose
    /// worker died first, then the oldest queued one) and lease it. Racing workers each get a different row, none waits.</summary>
    private async Task<long?> ClaimPostgresAsync(CancellationToken ct)
    {
        await using var db = await dbf.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        long? id;
        await using (var select = db.Database.GetDbConnection().CreateCommand())
        {
            select.Transaction = tx.GetDbTransaction();
            select.CommandText = """
                SELECT "Id" FROM "Runs"
                WHERE "Status" = 'queued' OR ("Status" = 'running' AND ("LeaseExpiresAt" IS NULL OR "LeaseExpiresAt" < now()))
                ORDER BY "Status" = 'queued', "Id"
                LIMIT 1
                FOR UPDATE SKIP LOCKED
                """;
            id = await select.ExecuteScalarAsync(ct) is long found ? found : null;
        }
        if (id is null) return null;
        await LeasePostgresAsync(db, id.Value, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>SQLite: the conditional UPDATE is the claim; of several slots racing for a run exactly one sees a
    /// row changed (SQLite runs the statement in its own write transaction).</summary>
    private async Task<long?> ClaimSqliteAsync(CancellationToken ct)
    {
        await using var db = await dbf.CreateDbContextAsync(ct);
        while (true)
        {
            long? id = await db.Runs.Where(r => r.Status == RunStatus.Queued).OrderBy(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);
            if (id is null) return null;
            if (await LeaseSqliteAsync(db, db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Queued), ct) == 1) return id;
        }
    }

    /// <summary>StartedAt is the first claim's (a takeover keeps it): queued → running is what the claim latency
    /// measures, against the API node's CreatedAt, so it is this node's time, as CreatedAt is.</summary>
    private Task<int> LeasePostgresAsync(TrainingDbContext db, long id, CancellationToken ct) => db.Database.ExecuteSqlInterpolatedAsync($"""
        UPDATE "Runs" SET "Status" = 'running', "StartedAt" = COALESCE("StartedAt", {DateTime.UtcNow}), "LeaseOwner" = {WorkerId},
            "LeaseExpiresAt" = now() + make_interval(secs => {(double)options.Value.LeaseSeconds}), "Attempts" = "Attempts" + 1
        WHERE "Id" = {id}
        """, ct);

    private Task<int> LeaseSqliteAsync(TrainingDbContext db, IQueryable<Run> rows, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var expires = now + Lease;
        return rows.ExecuteUpdateAsync(u => u
            .SetProperty(r => r.Status, RunStatus.Running)
            .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now)
            .SetProperty(r => r.LeaseOwner, WorkerId)
            .SetProperty(r => r.LeaseExpiresAt, expires)
            .SetProperty(r => r.Attempts, r => r.Attempts + 1), ct);
    }

    /// <summary>Heartbeat: pushes the lease forward. Null when this worker no longer owns the run (another took it
    /// over, or it was deleted); else the run's status (a cancel shows as <c>cancelled</c>).</summary>
    public async Task<string?> RenewAsync(long runId, CancellationToken ct)
    {
        await using var db = await dbf.CreateDbContextAsync(ct);
        int owned = store.IsPostgres
            ? await db.Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE "Runs" SET "LeaseExpiresAt" = now() + make_interval(secs => {(double)options.Value.LeaseSeconds}) WHERE "Id" = {runId} AND "LeaseOwner" = {WorkerId}
                """, ct)
            : await db.Runs.Where(r => r.Id == runId && r.LeaseOwner == WorkerId)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.LeaseExpiresAt, DateTime.UtcNow + Lease), ct);
        if (owned == 0) return null;
        return await db.Runs.Where(r => r.Id == runId).Select(r => r.Status).FirstOrDefaultAsync(ct);
    }

    /// <summary>Shutdown: the run stays <c>running</c> with its checkpoint, and its lease ends now so that another
    /// worker (or this one, restarted) resumes it at once rather than after the lease would have run out.</summary>
    public async Task ReleaseAsync(long runId)
    {
        await using var db = await dbf.CreateDbContextAsync();
        await db.Runs.Where(r => r.Id == runId && r.LeaseOwner == WorkerId && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.LeaseExpiresAt, (DateTime?)null));
    }

    /// <summary>
    /// After the database was out for longer than <c>Training__StoreOutageSeconds</c> and training stopped: the run stays
    /// <c>running</c> with its checkpoint. PostgreSQL: its lease is released as at shutdown, and the next claim (this
    /// worker's or another's) resumes it; false. SQLite: no other process will, so this one leases it again (a resume
    /// counts as an attempt) and true says to resume it here; false if it was cancelled or deleted meanwhile. Either is a
    /// write: it succeeds only once the database takes writes again.
    /// </summary>
    public async Task<bool> HandBackAsync(long runId)
    {
        if (store.IsPostgres)
        {
            await ReleaseAsync(runId);
            return false;
        }
        await using var db = await dbf.CreateDbContextAsync();
        return await LeaseSqliteAsync(db, db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running), CancellationToken.None) == 1;
    }
}

/// <summary>A worker found it no longer owns the run it is training: it stops quietly, the new owner carries on.</summary>
public sealed class LeaseLostException(long runId) : Exception($"run {runId} is no longer leased to this worker");
