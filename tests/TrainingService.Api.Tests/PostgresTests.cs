using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TrainingService.Api.Contracts;
using TrainingService.Data;

namespace TrainingService.Api.Tests;

/// <summary>
/// The PostgreSQL store. The drift checks need no server (they compare the Npgsql model with the snapshot); the
/// others run when <c>TRAINING_TEST_POSTGRES</c> holds a connection string to a server where databases may be created
/// (tests/scale/run.sh starts a throwaway one), and are skipped otherwise.
/// </summary>
public sealed class PostgresTests
{
    [Fact]
    public void PostgresMigrationsSnapshotMatchesTheModel()
    {
        using var db = PostgresDatabase.Context("Host=127.0.0.1;Database=unused");
        Assert.False(db.Database.HasPendingModelChanges(),
            "TrainingDbContext differs from migrations/Postgres/TrainingDbContextModelSnapshot.cs: add a PostgreSQL migration and update its snapshot");
    }

    [Fact]
    public void PostgresMigrationIdsStayAsShipped()
    {
        using var db = PostgresDatabase.Context("Host=127.0.0.1;Database=unused");
        Assert.Equal(["20261123000000_Initial", "20261129000000_StepRollups", "20261129113000_Uploads", "20261129120800_AddRunNotes", "20261129133536_Sweeps"], db.Database.GetMigrations());
    }

    [PostgresFact]
    public async Task OnPostgresARunTrainsAndItsSubscriberGetsEveryStepThroughNotify()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var factory = new ServiceFactory(settings: new() { ["ConnectionStrings:Training"] = database.ConnectionString });
        var client = factory.CreateClient();
        await using var hub = await factory.ConnectHubAsync();
        var steps = new List<long>();
        var epochs = new List<int>();
        var statuses = new List<string>();
        var succeeded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long, StepPoint[]>("steps", (_, points) => steps.AddRange(points.Select(p => p.Step)));
        hub.On<long, EpochPoint>("epoch", (_, epoch) => epochs.Add(epoch.Epoch));
        hub.On<long, RunDto>("status", (_, run) =>
        {
            statuses.Add(run.Status);
            if (run.Status == "succeeded") succeeded.TrySetResult();
        });
        await hub.InvokeAsync("Subscribe", 1L);

        var run = await client.SubmitAsync(Api.SmallSpec(epochs: 3));
        Assert.Equal(1, run.Id);
        await succeeded.Task.Within();
        Assert.Equal(Enumerable.Range(1, (int)run.Progress.TotalSteps).Select(i => (long)i), steps);
        Assert.Equal([1, 2, 3], epochs);
        Assert.Contains("running", statuses);
        var final = await client.WaitAsync(run.Id);
        Assert.Equal(run.Progress.TotalSteps, (await client.GetMetricsAsync(run.Id)).Steps.Count);
        Assert.NotNull(final.Summary);

        await using var db = PostgresDatabase.Context(database.ConnectionString);
        var stored = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id);
        Assert.Equal(1, stored.Attempts);
        Assert.NotNull(stored.LeaseOwner);
    }

    [PostgresFact]
    public async Task OnPostgresTwoHostsClaimWithSkipLockedAndTrainEachRunExactlyOnce()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Training"] = database.ConnectionString, ["Training:WorkerConcurrency"] = "2" };
        await using var a = new ServiceFactory(settings: settings);
        await using var b = new ServiceFactory(settings: settings);
        var clientA = a.CreateClient();
        var clientB = b.CreateClient();
        var ids = new List<long>();
        for (int i = 0; i < 10; i++) ids.Add((await (i % 2 == 0 ? clientA : clientB).SubmitAsync(Api.SmallSpec(seed: i, epochs: 2))).Id);
        foreach (long id in ids)
        {
            var run = await clientB.WaitAsync(id);
            Assert.Equal("succeeded", run.Status);
            Assert.Equal(run.Progress.TotalSteps, (await clientA.GetMetricsAsync(id)).Steps.Count);
        }
        await using var db = PostgresDatabase.Context(database.ConnectionString);
        Assert.All(await db.Runs.AsNoTracking().ToListAsync(), r => Assert.Equal(1, r.Attempts));
    }

    [PostgresFact]
    public async Task OnPostgresTwoHostsSubmittingAtOnceNeverOvershootTheQueue()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Training"] = database.ConnectionString, ["Training:WorkerEnabled"] = "false",
            ["Training:RateLimitPermits"] = "0", ["Training:MaxQueuedRuns"] = "30",
        };
        await using var a = new ServiceFactory(settings: settings);
        await using var b = new ServiceFactory(a.DataDirectory, settings);
        var clients = new[] { a.CreateClient(), b.CreateClient() };
        // Each host admits one at a time; only the advisory lock orders the two.
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            clients[i % 2].PostAsJsonAsync("/api/runs", Api.SmallSpec(seed: i), Api.Json)));
        Assert.Equal(30, responses.Count(r => r.StatusCode == System.Net.HttpStatusCode.Created));
        await using var db = PostgresDatabase.Context(database.ConnectionString);
        Assert.Equal(30, await db.Runs.CountAsync(r => r.Status == "queued"));
    }

    [PostgresFact]
    public async Task OnPostgresACancelReachesTheRunWhereverItTrains()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var worker = new ServiceFactory(settings: new() { ["ConnectionStrings:Training"] = database.ConnectionString, ["Training:Role"] = "worker" });
        await using var api = new ServiceFactory(settings: new() { ["ConnectionStrings:Training"] = database.ConnectionString, ["Training:Role"] = "api" });
        _ = worker.CreateClient(); // starts the worker host
        var client = api.CreateClient();
        var run = await client.SubmitAsync(Api.SlowSpec());
        await client.WaitAsync(run.Id, r => r.Status == "running" && r.Progress.Step > 0);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);
        var cancelled = await client.WaitAsync(run.Id, timeoutSeconds: 20);
        Assert.Equal("cancelled", cancelled.Status);
        Assert.True(cancelled.Progress.Step < cancelled.Progress.TotalSteps);
    }
}

/// <summary>Runs only when <c>TRAINING_TEST_POSTGRES</c> is set.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (string.IsNullOrEmpty(PostgresDatabase.Server)) Skip = $"set {PostgresDatabase.EnvVar} to a PostgreSQL connection string to run";
    }
}

/// <summary>A fresh database on the test server, dropped on dispose.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string EnvVar = "TRAINING_TEST_POSTGRES";
    public static string? Server => Environment.GetEnvironmentVariable(EnvVar);

    private readonly string _name;
    public string ConnectionString { get; }

    private PostgresDatabase(string name)
    {
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;
    }

    public static TrainingDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<TrainingDbContext>()
            .UseNpgsql(connectionString, x => x.MigrationsAssembly("TrainingService.Migrations.Postgres"))
            .Options);

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var database = new PostgresDatabase($"ts_test_{Guid.NewGuid():N}");
        await AdminAsync($"CREATE DATABASE \"{database._name}\"");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
