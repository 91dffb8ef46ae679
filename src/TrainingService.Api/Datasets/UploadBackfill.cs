using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Data;

namespace TrainingService.Api.Datasets;

/// <summary>
/// At start-up, before the service answers: uploads this disk holds that the database lacks get their record
/// (<see cref="UploadMirror.BackfillAsync"/>). A few files at most, so it runs in line; a database fault here is
/// logged and the next start-up tries again.
/// </summary>
public sealed class UploadBackfill(IDbContextFactory<TrainingDbContext> dbf, IOptions<TrainingOptions> options, ILogger<UploadBackfill> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbf.CreateDbContextAsync(cancellationToken);
            int added = await UploadMirror.BackfillAsync(db, options.Value.DataDirectory, cancellationToken);
            if (added > 0) log.LogInformation("stored {Count} uploads that were only on this disk in the database", added);
        }
        catch (Exception e) when (e is DbUpdateException or IOException or InvalidOperationException)
        {
            log.LogWarning(e, "uploads on this disk could not be stored in the database; the next start-up tries again");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>What the datasets feature registers.</summary>
public static class DatasetServices
{
    public static IServiceCollection AddDatasets(this IServiceCollection services) => services.AddHostedService<UploadBackfill>();
}
