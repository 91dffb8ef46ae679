using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using TrainingService.Api.Datasets;
using TrainingService.Api.Hosting;
using TrainingService.Api.Live;
using TrainingService.Api.Races;
using TrainingService.Api.Rollups;
using TrainingService.Api.Runs;
using TrainingService.Api.Worker;
using TrainingService.Engine.Tensors;

// Container health probe: `dotnet TrainingService.Api.dll --healthcheck` asks the running instance's /healthz.
if (args.Contains(HealthProbe.Flag)) return await HealthProbe.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);

// Settings: the Training section (Training__DataDirectory, __WorkerConcurrency, __ApiKey, __Role, __Database, ...).
builder.Services.AddOptions<TrainingOptions>()
    .BindConfiguration(TrainingOptions.Section)
    .ValidateDataAnnotations()
    .ValidateOnStart()
    .PostConfigure<IHostEnvironment>((o, env) => o.DataDirectory = Path.GetFullPath(o.DataDirectory, env.ContentRootPath));
// The role decides what is mapped below, so it is read before the host is built (validated again on start).
var role = builder.Configuration.GetSection(TrainingOptions.Section).Get<TrainingOptions>() ?? new TrainingOptions();

// Access: the API key, loopback-only without one, rate limits on changes (Training__ApiKey, __ProtectReads, __RateLimit*).
builder.BindLoopbackWithoutKey();
builder.Services.AddSingleton<ApiKeyCheck>();
builder.Services.AddMutationRateLimit();

// Storage: SQLite (default) or PostgreSQL through EF Core (ConnectionStrings__Training, Training__Database),
// each with its migrations project under migrations/.
builder.Services.AddTrainingDatabase(builder.Configuration);

// JSON: camelCase like specs; a diverged run's ∞/NaN are written as "Infinity"/"NaN" rather than failing the response.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals);

// Errors: RFC 9457 problem+json for exceptions, bad requests and unknown routes; a database blip is a 503 with
// Retry-After, not a 500.
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<StoreUnavailableHandler>();

// Worker: queue signal, cancellation registry, claims and leases, retries through database blips (their state feeds
// /readyz), the hosted worker (idle unless the role trains).
builder.Services.AddSingleton<RunQueue>();
builder.Services.AddSingleton<RunRegistry>();
builder.Services.AddSingleton<WorkerHealth>();
builder.Services.AddSingleton<RunClaims>();
builder.Services.AddSingleton<StoreHealth>();
builder.Services.AddSingleton<StoreRetry>();
builder.Services.AddSingleton<RunExecutor>();
builder.Services.AddSingleton<RunQuota>();
builder.Services.AddHostedService<TrainingWorker>();
builder.Services.AddHostedService<RollupBackfill>(); // step rollups for runs stored before they existed
builder.Services.AddSingleton<RunViewCache>(); // landscapes and boundaries of finished runs

// Live: SignalR hub and the pushes made through it. Events (queued, batch stored, status, cancel) stay in this
// process on SQLite; on PostgreSQL they cross nodes by NOTIFY, and a LISTEN service on each node acts on them.
builder.Services.AddSignalR()
    .AddJsonProtocol(o => o.PayloadSerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals);
builder.Services.AddSingleton<LiveUpdates>();
builder.Services.AddSingleton<FanoutLifetimeManager>();
builder.Services.AddSingleton<Microsoft.AspNetCore.SignalR.HubLifetimeManager<TrainingHub>>(sp => sp.GetRequiredService<FanoutLifetimeManager>());
builder.Services.AddSingleton<LiveFanout>();
builder.Services.AddSingleton<LocalRunEvents>();
builder.Services.AddSingleton<PostgresRunEvents>();
builder.Services.AddSingleton<IRunEvents>(sp => sp.GetRequiredService<TrainingStore>().IsPostgres
    ? sp.GetRequiredService<PostgresRunEvents>()
    : sp.GetRequiredService<LocalRunEvents>());
builder.Services.AddSingleton<PostgresListener>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<PostgresListener>());

// Dashboard: static files from wwwroot/ at the repository root (or the copy beside the app).
builder.Environment.UseDashboardWebRoot();

// Health and API documentation.
builder.Services.AddHealthChecks().AddCheck<Readiness>("database-and-worker", tags: [Readiness.Tag]);
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen(o =>
{
    o.SwaggerDoc("v1", new OpenApiInfo { Title = "TrainingService", Version = "v1", Description = "Train neural networks over HTTP and watch them learn." });
    o.CustomSchemaIds(t => t.FullName!.Replace("TrainingService.", "").Replace('+', '.'));
});

var app = builder.Build();

Kernels.Threads = app.Services.GetRequiredService<IOptions<TrainingOptions>>().Value.EngineThreads;
await app.PrepareTrainingDatabaseAsync();

app.LogExposureAtStart();
app.UseSecurityHeaders();
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    StatusCodeSelector = e => e is BadHttpRequestException b ? b.StatusCode : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages();
app.UseMiddleware<CrossSiteGuard>(); // before anything acts on a request: another site's page, or a rebound DNS name
app.UseRateLimiter();
if (role.ServesApi)
{
    app.UseMiddleware<ApiKeyMiddleware>();
    app.UseRequestBodyLimit();
    app.UseSwagger();
    app.UseSwaggerUI();
    app.UseDefaultFiles();
    app.UseStaticFiles();

    app.MapRuns();
    app.MapRaces();
    app.MapDatasets();
    app.MapHub<TrainingHub>("/hubs/training");
}
// Every role: liveness, and readiness (database writable; worker loop alive where this node trains).
app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Readiness.Tag) });

app.Run();
return 0;

/// <summary>Entry point; public so the API tests' WebApplicationFactory can reach it.</summary>
public partial class Program;

