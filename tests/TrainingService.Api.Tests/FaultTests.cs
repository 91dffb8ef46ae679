using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TrainingService.Api.Runs;
using TrainingService.Data;

namespace TrainingService.Api.Tests;

/// <summary>Faults while runs train: the database locked or full, a run's dataset gone. The run affected fails
/// with a clear reason; other runs and the service carry on; nothing stored is lost.</summary>
public sealed class FaultTests
{
    /// <summary>Fast steps (per-sample SGD on a small net): thousands of points a second through the pump.</summary>
    /// <summary>≈ 280 per-sample steps an epoch. The fault tests ask for far more epochs than they need, so that on a
    /// busy machine the run is still going when the fault lands (it then fails at once).</summary>
    private static object FastSpec(int epochs) => new
    {
        dataset = new { name = "moons", samples = 400 }, model = new { hidden = new[] { 8 } }, batchSize = 1, epochs, seed = 5,
    };

    /// <summary>Holds SQLite's write lock (BEGIN EXCLUSIVE on its own connection) for <paramref name="hold"/>.</summary>
    private static async Task HoldWriteLockAsync(string dataDirectory, TimeSpan hold)
    {
        await using var locker = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "training.db")};Pooling=False");
        await locker.OpenAsync();
        await using (var begin = locker.CreateCommand()) { begin.CommandText = "BEGIN EXCLUSIVE"; await begin.ExecuteNonQueryAsync(); }
        await Task.Delay(hold);
        await using (var end = locker.CreateCommand()) { end.CommandText = "ROLLBACK"; await end.ExecuteNonQueryAsync(); }
    }

    [Fact]
    public async Task ADatabaseLockedLongerThanTheBusyTimeoutFailsTheRunWithTheReasonAndTheServiceCarriesOn()
    {
        string dir = ServiceFactory.NewDataDirectory();
        await using var factory = new ServiceFactory(dir, new()
        {
            ["ConnectionStrings:Training"] = $"Data Source={Path.Combine(dir, "training.db")};Default Timeout=1",
        });
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(FastSpec(epochs: 4000));
        await client.WaitAsync(run.Id, r => r.Progress.Step > 200);

        await HoldWriteLockAsync(dir, TimeSpan.FromSeconds(4));

        var failed = await client.WaitAsync(run.Id, r => r.Status is not ("queued" or "running"));
        Assert.Equal("failed", failed.Status);
        Assert.Contains("storing metrics failed", failed.Error);
        Assert.Contains("database is locked", failed.Error);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        // What was stored before the fault is intact and gapless.
        var steps = (await client.GetMetricsAsync(run.Id)).Steps.Select(s => s.Step).ToList();
        Assert.Equal(Enumerable.Range(1, steps.Count).Select(i => (long)i), steps);

        var next = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec())).Id);
        Assert.Equal("succeeded", next.Status);
    }

    /// <summary>
    /// The run is long by steps (≈ 1.1M), not by seconds: the engine can run at most one channel's worth of steps ahead
    /// of what is stored, so whatever the machine's speed it is still training when the lock lifts, and the test ends it
    /// with a cancel. Every step the engine produced — before, during and after the lock — is stored once and sent live.
    /// </summary>
    [Fact]
    public async Task ThePumpLosesNoPointWhileTheDatabaseIsSlow()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var hub = await HubClient.ConnectAsync(factory);
        await hub.InvokeAsync("1", "Subscribe", 1); // a fresh database's first run
        var run = await client.SubmitAsync(FastSpec(epochs: 4000));
        Assert.Equal(1, run.Id);
        var before = await client.WaitAsync(run.Id, r => r.Progress.Step > 300);

        await HoldWriteLockAsync(factory.DataDirectory, TimeSpan.FromSeconds(1.5)); // well under the 30 s busy timeout
        Assert.Equal("running", (await client.GetRunAsync(run.Id)).Status); // the lock fell mid-run
        await client.WaitAsync(run.Id, r => r.Progress.Step > before.Progress.Step + 1000); // and storing went on after it
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);

        var done = await client.WaitAsync(run.Id, r => r.Status is not ("queued" or "running"));
        Assert.Equal("cancelled", done.Status);
        var stored = (await client.GetMetricsAsync(run.Id)).Steps.Select(s => s.Step).ToList();
        Assert.Equal(Enumerable.Range(1, (int)done.Progress.Step).Select(i => (long)i), stored);

        var live = new List<long>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (live.Count < stored.Count)
        {
            using var message = JsonDocument.Parse(await hub.NextAsync(timeout.Token));
            if (message.RootElement.TryGetProperty("target", out var t) && t.GetString() == "steps")
                live.AddRange(message.RootElement.GetProperty("arguments")[1].EnumerateArray().Select(p => p.GetProperty("step").GetInt64()));
        }
        Assert.Equal(stored, live); // live too: every point, in order
        await hub.CloseAsync();
    }

    [Fact]
    public async Task ARunWhoseDatasetVanishedOrWasCorruptedFailsWithTheReasonWhileTheNextRunSucceeds()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        foreach (string name in new[] { "vanishing", "corrupted" })
        {
            string csv = "a,b,label\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i % 7},{i % 5},{(i % 2 == 0 ? "x" : "y")}\n"));
            using var form = new MultipartFormDataContent { { new StringContent(csv), "file", $"{name}.csv" } };
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", form)).StatusCode);
        }
        var blocker = await client.SubmitAsync(Api.SlowSpec());
        await client.WaitAsync(blocker.Id, r => r.Status == "running");
        var vanishing = await client.SubmitAsync(new { dataset = new { name = "vanishing" }, epochs = 2 });
        var corrupted = await client.SubmitAsync(new { dataset = new { name = "corrupted" }, epochs = 2 });
        var healthy = await client.SubmitAsync(Api.SmallSpec());

        string uploads = Path.Combine(factory.DataDirectory, "uploads");
        File.Delete(Path.Combine(uploads, "vanishing.csv"));
        await File.WriteAllBytesAsync(Path.Combine(uploads, "corrupted.csv"), [0x61, 0x2c, 0x62, 0x0a, 0xff, 0xfe, 0x00, 0x2c, 0x31, 0x0a]);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/runs/{blocker.Id}/cancel", null)).StatusCode);

        var gone = await client.WaitAsync(vanishing.Id, r => r.Status is not ("queued" or "running"));
        Assert.Equal("failed", gone.Status);
        Assert.Contains("cannot start", gone.Error);
        Assert.Contains("unknown dataset 'vanishing'", gone.Error);
        var bad = await client.WaitAsync(corrupted.Id, r => r.Status is not ("queued" or "running"));
        Assert.Equal("failed", bad.Status);
        Assert.Contains("cannot start", bad.Error);
        Assert.Contains("corrupted.csv", bad.Error);
        Assert.Equal("succeeded", (await client.WaitAsync(healthy.Id)).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    /// <summary>SQLite's own "database or disk is full" (SQLITE_FULL): while <see cref="Full"/>, every connection the
    /// service opens may not grow the file past its current size (PRAGMA max_page_count).</summary>
    private sealed class DiskFull : DbConnectionInterceptor
    {
        public volatile bool Full;

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA page_count";
            long pages = (long)(await cmd.ExecuteScalarAsync(ct))!;
            cmd.CommandText = $"PRAGMA max_page_count = {(Full ? pages : 1_073_741_823)}";
            await cmd.ExecuteScalarAsync(ct);
        }

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
            ConnectionOpenedAsync(connection, eventData).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task AFullDiskFailsTheRunWithTheReasonAndTheServiceCarriesOn()
    {
        var disk = new DiskFull();
        await using var service = new ServiceFactory();
        await using var factory = service.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.ConfigureDbContext<TrainingDbContext>(o => o.AddInterceptors(disk))));
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(FastSpec(epochs: 4000));
        await client.WaitAsync(run.Id, r => r.Progress.Step > 200);

        disk.Full = true;
        var failed = await client.WaitAsync(run.Id, r => r.Status is not ("queued" or "running"));
        Assert.Equal("failed", failed.Status);
        Assert.Contains("storing metrics failed", failed.Error);
        Assert.Contains("full", failed.Error);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        disk.Full = false;
        Assert.Equal("succeeded", (await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec())).Id)).Status);
    }
}
