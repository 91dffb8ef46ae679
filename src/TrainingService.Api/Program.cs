using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using TrainingService.Api.Datasets;
using TrainingService.Api.Hosting;
using TrainingService.Api.Live;
using TrainingService.Api.Races;
using TrainingService.Api.Runs;
using TrainingService.Api.Worker;
using TrainingService.Engine.Tensors;

var builder = WebApplication.CreateBuilder(args);

// Settings: the Training section (Training__DataDirectory, __WorkerConcurrency, __ApiKey, ...).
builder.Services.AddOptions<TrainingOptions>()
    .BindConfiguration(TrainingOptions.Section)
    .ValidateDataAnnotations()
    .ValidateOnStart()
    .PostConfigure<IHostEnvironment>((o, env) => o.DataDirectory = Path.GetFullPath(o.DataDirectory, env.ContentRootPath));

// Access: the API key, loopback-only without one, rate limits on changes (Training__ApiKey, __ProtectReads, __RateLimit*).
builder.BindLoopbackWithoutKey();
builder.Services.AddSingleton<ApiKeyCheck>();
builder.Services.AddMutationRateLimit();

// Storage: SQLite through EF Core (ConnectionStrings__Training), migrations from migrations/.
builder.Services.AddTrainingDatabase(builder.Configuration);

// JSON: camelCase like specs; a diverged run's ∞/NaN are written as "Infinity"/"NaN" rather than failing the response.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals);

// Errors: RFC 9457 problem+json for exceptions, bad requests and unknown routes.
builder.Services.AddProblemDetails();

// Worker: queue signal, cancellation registry, the hosted worker and what it runs.
builder.Services.AddSingleton<RunQueue>();
builder.Services.AddSingleton<RunRegistry>();
builder.Services.AddSingleton<WorkerHealth>();
builder.Services.AddSingleton<RunExecutor>();
builder.Services.AddSingleton<RunQuota>();
builder.Services.AddHostedService<TrainingWorker>();

// Live: SignalR hub and the pushes the pump makes through it.
builder.Services.AddSignalR()
    .AddJsonProtocol(o => o.PayloadSerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals);
builder.Services.AddSingleton<LiveUpdates>();
builder.Services.AddSingleton<LiveFanout>();

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
app.UseRateLimiter();
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
app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Readiness.Tag) });

app.Run();

/// <summary>Entry point; public so the API tests' WebApplicationFactory can reach it.</summary>
public partial class Program;
