using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using TrainingService.Api.Hosting;

namespace TrainingService.Api.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task WithAnApiKeyMutatingCallsNeedTheHeaderAndReadsDoNot()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:ApiKey"] = "s3cret", ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();

        var refused = await client.PostAsJsonAsync("/api/runs", Api.SmallSpec(), Api.Json);
        Assert.Contains("X-Api-Key", (await refused.ProblemAsync(HttpStatusCode.Unauthorized)).Detail);
        client.DefaultRequestHeaders.Add("X-Api-Key", "wrong");
        await (await client.PostAsJsonAsync("/api/runs", Api.SmallSpec(), Api.Json)).ProblemAsync(HttpStatusCode.Unauthorized);

        client.DefaultRequestHeaders.Remove("X-Api-Key");
        client.DefaultRequestHeaders.Add("X-Api-Key", "s3cret");
        var run = await client.SubmitAsync(Api.SmallSpec());

        var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/runs/{run.Id}")).StatusCode);
        await (await anonymous.DeleteAsync($"/api/runs/{run.Id}")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PostAsync($"/api/runs/{run.Id}/cancel", null)).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task HealthAndReadinessAnswer()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal("Healthy", await client.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task AnUnreachableDatabaseFailsTheStartLoudly()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        await using var broken = factory.WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Training", "Data Source=/proc/no/such/dir/x.db"));
        // The app migrates at start, so a bad connection string fails loudly at start rather than serving.
        Assert.ThrowsAny<Exception>(() => broken.CreateClient());
    }

    [Fact]
    public async Task TheStartLogNamesTheDataDirectoryAndTheDatabaseInUse()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        string elsewhere = Path.Combine(factory.DataDirectory, "elsewhere.db");
        foreach (var (connectionString, expected) in new[] { (null, Path.Combine(factory.DataDirectory, "training.db")), ($"Data Source={elsewhere}", elsewhere) })
        {
            var log = new CapturedLog();
            await using var started = factory.WithWebHostBuilder(b =>
            {
                if (connectionString is not null) b.UseSetting("ConnectionStrings:Training", connectionString);
                b.ConfigureLogging(l => l.AddProvider(log).AddFilter<CapturedLog>("TrainingService", LogLevel.Information));
            });
            started.CreateClient();
            Assert.Contains($"Data directory {factory.DataDirectory}; database SQLite {expected}", log.Lines);
        }
    }

    [Fact]
    public void APostgresStoreIsDescribedWithoutItsPassword()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Training"] = "Host=db;Port=5433;Database=training;Username=trainer;Password=s3cret",
        }).Build();
        string described = TrainingStore.From(config, new TrainingOptions()).Describe();
        Assert.Equal("PostgreSQL db:5433/training as trainer", described);
    }

    /// <summary>Keeps every formatted log message.</summary>
    private sealed class CapturedLog : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();
        public IReadOnlyCollection<string> Lines => _lines;
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue(formatter(state, exception));
        public void Dispose() { }
    }

    [Fact]
    public async Task OpenApiDocumentsEveryRouteAndItsErrors()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = doc.RootElement.GetProperty("paths");
        string[] expected =
        [
            "post /api/runs", "get /api/runs", "get /api/runs/{id}", "post /api/runs/{id}/cancel", "delete /api/runs/{id}",
            "get /api/runs/{id}/metrics", "get /api/runs/{id}/metrics.csv", "get /api/runs/{id}/epochs.csv", "get /api/runs/metrics.csv",
            "get /api/runs/{id}/model", "post /api/runs/{id}/predict", "get /api/datasets", "post /api/datasets",
        ];
        foreach (string route in expected)
        {
            var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
            JsonElement op = default;
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out op), $"{route} is not documented");
            var responses = op.GetProperty("responses").EnumerateObject().Select(p => p.Name).ToList();
            Assert.True(responses.Any(r => r.StartsWith('4') || r.StartsWith('5')), $"{route} documents no error response: {string.Join(", ", responses)}");
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode);
    }
}
