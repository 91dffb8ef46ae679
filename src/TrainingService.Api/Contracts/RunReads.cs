using Microsoft.EntityFrameworkCore;
using TrainingService.Data;

namespace TrainingService.Api.Contracts;

public static class RunReads
{
    /// <summary>The run as the API shows it, or null.</summary>
    public static async Task<RunDto?> FindDtoAsync(this TrainingDbContext db, long id, CancellationToken ct = default)
    {
        var run = await db.Runs.AsNoTracking().Include(r => r.Tags).FirstOrDefaultAsync(r => r.Id == id, ct);
        return run is null ? null : RunDto.From(run);
    }
}
