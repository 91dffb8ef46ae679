namespace TrainingService.Api.Rollups;

public static class RollupServices
{
    /// <summary>Step rollups for runs stored before they existed, built in the background at start.</summary>
    public static IServiceCollection AddRollups(this IServiceCollection services) => services.AddHostedService<RollupBackfill>();
}
