using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using TrainingService.Api.Contracts;
using TrainingService.Api.Hosting;

namespace TrainingService.Api.Live;

public static class LiveServices
{
    /// <summary>SignalR hub and the pushes made through it. Events (queued, batch stored, status, cancel) stay in this
    /// process on SQLite; on PostgreSQL they cross nodes by NOTIFY, and a LISTEN service on each node acts on them.</summary>
    public static IServiceCollection AddLive(this IServiceCollection services)
    {
        services.AddSignalR()
            .AddJsonProtocol(o => o.PayloadSerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals);
        services.AddSingleton<LiveUpdates>();
        services.AddSingleton<FanoutLifetimeManager>();
        services.AddSingleton<HubLifetimeManager<TrainingHub>>(sp => sp.GetRequiredService<FanoutLifetimeManager>());
        services.AddSingleton<LiveFanout>();
        services.AddSingleton<LocalRunEvents>();
        services.AddSingleton<PostgresRunEvents>();
        services.AddSingleton<IRunEvents>(sp => sp.GetRequiredService<TrainingStore>().IsPostgres
            ? sp.GetRequiredService<PostgresRunEvents>()
            : sp.GetRequiredService<LocalRunEvents>());
        services.AddSingleton<PostgresListener>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresListener>());
        return services;
    }

    /// <summary><c>/hubs/training</c>.</summary>
    public static void MapLive(this IEndpointRouteBuilder app) => app.MapHub<TrainingHub>("/hubs/training");
}
