namespace TrainingService.Api.Worker;

public static class WorkerServices
{
    /// <summary>Queue signal, cancellation registry, claims and leases, retries through database blips (their state
    /// feeds /readyz), the executor and the hosted worker (idle unless the role trains).</summary>
    public static IServiceCollection AddWorker(this IServiceCollection services)
    {
        services.AddSingleton<RunQueue>();
        services.AddSingleton<RunRegistry>();
        services.AddSingleton<WorkerHealth>();
        services.AddSingleton<RunClaims>();
        services.AddSingleton<StoreHealth>();
        services.AddSingleton<StoreRetry>();
        services.AddSingleton<RunExecutor>();
        services.AddHostedService<TrainingWorker>();
        return services;
    }
}
