using Microsoft.Extensions.Options;
using TrainingService.Api.Datasets;
using TrainingService.Api.Health;
using TrainingService.Api.Hosting;
using TrainingService.Api.Live;
using TrainingService.Api.OpenApi;
using TrainingService.Api.LrFinder;
using TrainingService.Api.Races;
using TrainingService.Api.Rollups;
using TrainingService.Api.Runs;
using TrainingService.Api.Specs;
using TrainingService.Api.Sweeps;
using TrainingService.Api.Worker;
using TrainingService.Engine.Tensors;

// Container health probe: `dotnet TrainingService.Api.dll --healthcheck` asks the running instance's /healthz.
if (args.Contains(HealthProbe.Flag)) return await HealthProbe.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);

// Settings: the Training section; the role decides what is mapped below, so it is read now.
var role = builder.AddTrainingSettings();
// Access: the API key, loopback-only without one, rate limits on changes (Training__ApiKey, __ProtectReads, __RateLimit*).
builder.AddAccess();
// Storage: SQLite (default) or PostgreSQL through EF Core (ConnectionStrings__Training, Training__Database),
// each with its migrations project under migrations/.
builder.Services.AddTrainingDatabase(builder.Configuration);
// JSON (∞/NaN as "Infinity"/"NaN") and errors as problem+json (a database blip is a 503 with Retry-After).
builder.Services.AddJsonAndProblems();

// Features. Hosted services start in this order: the worker, the rollup backfill, the PostgreSQL listener, the sweep coordinator.
builder.Services.AddWorker();
builder.Services.AddDatasets();
builder.Services.AddRollups();
builder.Services.AddRuns();
builder.Services.AddLive();
builder.Services.AddSweeps();

// Dashboard (wwwroot/ at the repository root, or the copy beside the app), health and API documentation.
builder.Environment.UseDashboardWebRoot();
builder.Services.AddHealth();
builder.Services.AddApiDocs();

var app = builder.Build();

Kernels.Threads = app.Services.GetRequiredService<IOptions<TrainingOptions>>().Value.EngineThreads;
await app.PrepareTrainingDatabaseAsync();

// Middleware, in this order.
app.LogExposureAtStart();
app.UseSecurityHeaders();
app.UseProblems(); // exception handler, then status code pages
app.UseMiddleware<CrossSiteGuard>(); // before anything acts on a request: another site's page, or a rebound DNS name
app.UseRateLimiter();
if (role.ServesApi)
{
    app.UseMiddleware<ApiKeyMiddleware>();
    app.UseRequestBodyLimit();
    app.UseApiDocs();
    app.UseDashboard();

    app.MapRuns();
    app.MapRaces();
    app.MapSweeps();
    app.MapLrFinder();
    app.MapDatasets();
    app.MapSpec();
    app.MapLive();
}
// Every role: liveness, and readiness (database writable; worker loop alive where this node trains).
app.MapHealth();

app.Run();
return 0;

/// <summary>Entry point; public so the API tests' WebApplicationFactory can reach it.</summary>
public partial class Program;
