using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Datasets;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Engine.Data;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Runs;

/// <summary>A stored run's engine session, rebuilt from its resolved spec (same seed: same data, split and initial
/// weights), for the views the engine computes on demand (loss landscape, decision boundary).</summary>
internal static class RunSessions
{
    public static async Task<(TrainingSession? Session, ProblemHttpResult? Problem)> RebuildAsync(
        TrainingDbContext db, long id, string dataDirectory, CancellationToken ct)
    {
        string? spec = await db.Runs.Where(r => r.Id == id).Select(r => r.SpecJson).FirstOrDefaultAsync(ct);
        if (spec is null) return (null, RunsApi.RunNotFound(id));
        try
        {
            var parsed = SpecJson.Parse(spec);
            await UploadMirror.EnsureAsync(db, dataDirectory, parsed.Dataset?.Name, ct);
            return (TrainingSession.Create(parsed, dataDirectory), null);
        }
        catch (Exception e) when (e is SpecException or ArgumentException or DataFormatException or InvalidDataException or IOException)
        {
            return (null, Problems.Conflict($"run {id} cannot be rebuilt (its data is no longer available?): {e.Message}"));
        }
    }

    /// <summary>Puts <paramref name="session"/> at the run's last stored checkpoint (its epoch-end weights); a run with no
    /// checkpoint yet stays at its initial weights (epoch 0).</summary>
    public static async Task RestoreLastCheckpointAsync(TrainingDbContext db, long id, TrainingSession session, CancellationToken ct)
    {
        var data = await db.Checkpoints.AsNoTracking().Where(c => c.RunId == id).Select(c => c.Data).FirstOrDefaultAsync(ct);
        if (data is not null) session.Restore(Checkpoint.Deserialize(data));
    }
}
