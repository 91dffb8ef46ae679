using TrainingService.Api.Contracts;

namespace TrainingService.Api.Sweeps;

public static class SweepServices
{
    /// <summary>The coordinator (on every instance: it proposes trials and pushes <c>sweep</c> to this instance's hub) and
    /// hyperband's gate, which the worker asks when it trains a trial.</summary>
    public static IServiceCollection AddSweeps(this IServiceCollection services)
    {
        services.AddSingleton<SweepCoordinator>();
        services.AddHostedService(sp => sp.GetRequiredService<SweepCoordinator>());
        services.AddSingleton<IEpochGates, SweepPruning>();
        return services;
    }
}
