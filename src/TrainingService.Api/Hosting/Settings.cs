namespace TrainingService.Api.Hosting;

public static class Settings
{
    /// <summary>The Training section (<c>Training__DataDirectory</c>, <c>__WorkerConcurrency</c>, <c>__ApiKey</c>,
    /// <c>__Role</c>, <c>__Database</c>, ...), validated on start. Returns the settings as configured now: the role decides
    /// what is mapped, so it is read before the host is built (validated again on start).</summary>
    public static TrainingOptions AddTrainingSettings(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrainingOptions>()
            .BindConfiguration(TrainingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart()
            .PostConfigure<IHostEnvironment>((o, env) => o.DataDirectory = Path.GetFullPath(o.DataDirectory, env.ContentRootPath));
        return builder.Configuration.GetSection(TrainingOptions.Section).Get<TrainingOptions>() ?? new TrainingOptions();
    }
}
