namespace TrainingService.Api.Runs;

public static class RunsServices
{
    /// <summary>The queue limits on submission, and the cache of finished runs' landscapes and boundaries.</summary>
    public static IServiceCollection AddRuns(this IServiceCollection services)
    {
        services.AddSingleton<RunQuota>();
        services.AddSingleton<RunViewCache>();
        return services;
    }
}
