using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using TrainingService.Data;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Rollups;

/// <summary>A run's stored step rows in step order, a page at a time (keyset paging on the primary key): memory stays at
/// one page whatever the run's length, and each page is read whole before it is handed out, so the caller may write on
/// the same connection between pages (SQLite).</summary>
public static class StepPages
{
    public static IAsyncEnumerable<List<StepMetric>> ReadAsync(TrainingDbContext db, long runId, int pageSize, CancellationToken ct = default) =>
        ReadAsync(db, runId, pageSize, 1, long.MaxValue, ct);

    /// <summary>The stored steps of <c>[from, to]</c>.</summary>
    public static async IAsyncEnumerable<List<StepMetric>> ReadAsync(TrainingDbContext db, long runId, int pageSize, long from, long to,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (long next = from; next <= to;)
        {
            var rows = await db.StepMetrics.AsNoTracking().Where(m => m.RunId == runId && m.Step >= next && m.Step <= to)
                .OrderBy(m => m.Step).Take(pageSize).ToListAsync(ct);
            if (rows.Count > 0) yield return rows;
            if (rows.Count < pageSize) yield break;
            next = rows[^1].Step + 1;
        }
    }
}
