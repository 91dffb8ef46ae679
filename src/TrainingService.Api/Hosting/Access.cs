namespace TrainingService.Api.Hosting;

public static class Access
{
    /// <summary>The API key (<see cref="ApiKeyCheck"/>; the middleware is added per role in Program.cs), loopback-only
    /// without one (<see cref="Exposure"/>), rate limits on changes (<see cref="Limits"/>).</summary>
    public static void AddAccess(this WebApplicationBuilder builder)
    {
        builder.BindLoopbackWithoutKey();
        builder.Services.AddSingleton<ApiKeyCheck>();
        builder.Services.AddMutationRateLimit();
    }
}
