using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TrainingService.Api.Contracts;
using TrainingService.Data;

namespace TrainingService.Api.Tests;

/// <summary>Faults while runs train: the database locked or full, a run's dataset gone. A database fault never fails a
/// run: it is retried, or the run handed back and resumed, and ends as an undisturbed one; reads meanwhile answer 503,
/// never 500. A run whose dataset is gone fails with a clear reason; other runs and the service carry on.</summary>
public sealed class FaultTests
{
    /// <summary>Fast steps (per-sample SGD on a small net, ≈ 280 an epoch): thousands of points a second through the pump.</summary>
    private static object FastSpec(int epochs) => new
    {
        dataset = new { name = "moons", samples = 400 }, model = new { hidden = new[] { 8 } }, batchSize = 1, epochs, seed = 5,
    };

    /// <summary>≈ 56,000 steps. With <see cref="Gated"/> the faults land mid-run on any machine.</summary>
    private static object FaultSpec => FastSpec(epochs: 200);

    /// <summary>
    /// The gate: a flush every 500 ms stores at most one channel (16,384 steps), and the engine runs at most two channels
    /// ahead of what is stored. A fault that lands within 500 ms of the first flush (at most 16,384 steps stored) thus
    /// finds the engine short of step 49,152 of 56,000, however fast the machine. Faults here are timed by seconds of
    /// outage (the busy timeout, the outage bound), not by how many steps fit in them.
    /// </summary>
    private static Dictionary<string, string?> Gated(Dictionary<string, string?> settings)
    {
        settings["Training:FlushIntervalMs"] = "500";
        return settings;
    }

    /// <summary>The spec trained undisturbed in the same service: what a faulted run must end as.</summary>
    private static async Task<(RunDto Run, RunMetrics Metrics)> UndisturbedAsync(HttpClient client)
    {
        var run = await client.WaitAsync((await client.SubmitAsync(FaultSpec)).Id, timeoutSeconds: 180);
        Assert.Equal("succeeded", run.Status);
        return (run, await client.GetMetricsAsync(run.Id));
    }

    /// <summary>Succeeded, every step stored once, and the same losses (and final loss) as the undisturbed run.</summary>
    private static async Task AssertEndsAsUndisturbedAsync(HttpClient client, long id, (RunDto Run, RunMetrics Metrics) reference)
    {
        var done = await client.WaitAsync(id, timeoutSeconds: 180);
        Assert.True(done.Status == "succeeded", $"run {id} ended {done.Status}: {done.Error}");
        var metrics = await client.GetMetricsAsync(id);
        Assert.Equal(Enumerable.Range(1, (int)done.Progress.TotalSteps).Select(i => (long)i), metrics.Steps.Select(s => s.Step));
        Assert.Equal(reference.Metrics.Steps.Select(s => (s.Step, s.Loss)), metrics.Steps.Select(s => (s.Step, s.Loss)));
        Assert.Equal(reference.Run.Summary!.TrainLoss, done.Summary!.TrainLoss);
        Assert.Equal(reference.Run.Summary.TestLoss, done.Summary.TestLoss);
    }

    /// <summary>Holds SQLite's write lock while <paramref name="whileLocked"/> runs on the locking connection, then for
    /// the rest of <paramref name="hold"/>.</summary>
    private static async Task HoldWriteLockAsync(string dataDirectory, TimeSpan hold, Func<SqliteConnection, Task> whileLocked)
    {
        await using var locker = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "training.db")};Pooling=False");
        await locker.OpenAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (var begin = locker.CreateCommand()) { begin.CommandText = "BEGIN EXCLUSIVE"; await begin.ExecuteNonQueryAsync(); }
        await whileLocked(locker);
        if (hold > clock.Elapsed) await Task.Delay(hold - clock.Elapsed);
        await using (var end = locker.CreateCommand()) { end.CommandText = "ROLLBACK"; await end.ExecuteNonQueryAsync(); }
    }

    /// <summary>Inside the lock (nothing can change it): the run is stored as running, short of its last step.</summary>
    private static async Task AssertMidRunAsync(SqliteConnection connection, long id)
    {
        await using var read = connection.CreateCommand();
        read.CommandText = $"""SELECT "Status", "Step", "TotalSteps" FROM "Runs" WHERE "Id" = {id}""";
        await using var row = await read.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.True(row.GetString(0) == "running" && row.GetInt64(1) < row.GetInt64(2),
            $"the lock fell after the run had stored its last step ({row.GetString(0)}, step {row.GetInt64(1)} of {row.GetInt64(2)})");
    }

    /// <summary>
    /// The database locked for 3 s, past SQLite's busy timeout (1 s here). With the default outage bound (60 s) the pump
    /// retries its flush until the lock lifts; with a 1 s bound the lock is held until the worker has stopped training
    /// and handed the run back, which, the lock lifted, resumes from its checkpoint (a second claim). Either way the run ends exactly as an undisturbed
    /// one and the service carries on; nothing is lost while the engine waits on the full channel.
    /// </summary>
    [Theory]
    [InlineData(60, 1)]
    [InlineData(1, 2)]
    public async Task ADatabaseLockedPastTheBusyTimeoutIsRetriedOrHandedBackAndTheRunEndsAsAnUndisturbedOne(int outageSeconds, int claims)
    {
        string dir = ServiceFactory.NewDataDirectory();
        var gate = new FlushGate();
        await using var service = new ServiceFactory(dir, Gated(new()
        {
            ["ConnectionStrings:Training"] = $"Data Source={Path.Combine(dir, "training.db")};Default Timeout=1",
            ["Training:StoreOutageSeconds"] = outageSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        await using var factory = service.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.ConfigureDbContext<TrainingDbContext>(o => o.AddInterceptors(gate))));
        var client = factory.CreateClient();
        var reference = await UndisturbedAsync(client);
        gate.Arm();
        var run = await client.SubmitAsync(FaultSpec);
        await gate.WaitClosedAsync(); // one flush stored, the next held: the run is mid-way on any machine

        var registry = factory.Services.GetRequiredService<Worker.RunRegistry>();
        await HoldWriteLockAsync(dir, TimeSpan.FromSeconds(3), async c =>
        {
            gate.Open(); // the held flush now meets the lock
            await AssertMidRunAsync(c, run.Id);
            // Reads still answer (WAL), but the database takes no writes: not ready.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/runs/{run.Id}")).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
            // Past the bound, the lock lifts only once the run has been handed back (it stops training here), however
            // long the retries took to get there.
            for (var clock = System.Diagnostics.Stopwatch.StartNew(); claims > 1 && registry.IsActive(run.Id); await Task.Delay(20))
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the run was not handed back within 60 s of a 1 s bound");
        });

        await AssertEndsAsUndisturbedAsync(client, run.Id, reference);
        Assert.Equal(claims, factory.Services.GetRequiredService<Worker.WorkerHealth>().Claims[run.Id]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal("succeeded", (await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec())).Id)).Status);
    }

    /// <summary>The next <see cref="Lose"/> commits succeed but their answer is lost: the caller sees a transient
    /// fault (as when a PostgreSQL connection breaks between the server's commit and its reply).</summary>
    private sealed class LostCommits : DbTransactionInterceptor
    {
        private int _lose;

        public int Lose { set => Volatile.Write(ref _lose, value); }

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default) =>
            Interlocked.Decrement(ref _lose) >= 0 ? throw new SqliteException("SQLite Error 5: 'database is locked'.", 5) : Task.CompletedTask;
    }

    /// <summary>A retried flush first checks whether the batch it is retrying went in: no step is stored twice (the key
    /// would refuse it and fail the run), none is lost.</summary>
    [Fact]
    public async Task AFlushWhoseCommitAnswerWasLostIsNotStoredTwice()
    {
        var commits = new LostCommits();
        await using var service = new ServiceFactory(settings: Gated([]));
        await using var factory = service.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.ConfigureDbContext<TrainingDbContext>(o => o.AddInterceptors(commits))));
        var client = factory.CreateClient();
        var reference = await UndisturbedAsync(client);
        var run = await client.SubmitAsync(FaultSpec);
        await client.WaitAsync(run.Id, r => r.Progress.Step > 0);

        commits.Lose = 3;
        await AssertEndsAsUndisturbedAsync(client, run.Id, reference);
        Assert.Equal(1, factory.Services.GetRequiredService<Worker.WorkerHealth>().Claims[run.Id]);
    }

    /// <summary>SQLite's "database is locked" (SQLITE_BUSY, what a read gets past the busy timeout while a writer holds
    /// the database exclusively) on every read while <see cref="Locked"/>.</summary>
    private sealed class LockedReads : DbCommandInterceptor
    {
        public volatile bool Locked;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken ct = default) =>
            Locked && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
                ? throw new SqliteException("SQLite Error 5: 'database is locked'.", 5)
                : ValueTask.FromResult(result);
    }

    /// <summary>A read that meets a database blip answers 503 problem+json with Retry-After, never 500; after it, 200.</summary>
    [Fact]
    public async Task AReadDuringADatabaseBlipAnswers503WithRetryAfter()
    {
        var reads = new LockedReads();
        await using var service = new ServiceFactory();
        await using var factory = service.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.ConfigureDbContext<TrainingDbContext>(o => o.AddInterceptors(reads))));
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec())).Id);

        reads.Locked = true;
        foreach (string url in new[] { $"/api/runs/{run.Id}", "/api/runs", $"/api/runs/{run.Id}/metrics" })
        {
            var response = await client.GetAsync(url);
            var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("database", problem.Detail);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        }
        reads.Locked = false;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/runs/{run.Id}")).StatusCode);
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
        await using var hub = await factory.ConnectHubAsync();
        var pushed = Channel.CreateUnbounded<StepPoint[]>();
        hub.On<long, StepPoint[]>("steps", (_, points) => pushed.Writer.TryWrite(points));
        await hub.InvokeAsync("Subscribe", 1L); // a fresh database's first run
        var run = await client.SubmitAsync(FastSpec(epochs: 4000));
        Assert.Equal(1, run.Id);
        var before = await client.WaitAsync(run.Id, r => r.Progress.Step > 300);

        await HoldWriteLockAsync(factory.DataDirectory, TimeSpan.FromSeconds(1.5), _ => Task.CompletedTask); // well under the 30 s busy timeout
        Assert.Equal("running", (await client.GetRunAsync(run.Id)).Status); // the lock fell mid-run
        await client.WaitAsync(run.Id, r => r.Progress.Step > before.Progress.Step + 1000); // and storing went on after it
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);

        var done = await client.WaitAsync(run.Id); // cancelled, and the worker's outcome stored: the channel drained
        Assert.Equal("cancelled", done.Status);
        var stored = (await client.GetMetricsAsync(run.Id)).Steps.Select(s => s.Step).ToList();
        Assert.Equal(Enumerable.Range(1, (int)done.Progress.Step).Select(i => (long)i), stored);

        var live = new List<long>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (live.Count < stored.Count) live.AddRange((await pushed.Reader.ReadAsync(timeout.Token)).Select(p => p.Step));
        Assert.Equal(stored, live); // live too: every point, in order
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
        File.Delete(Path.Combine(uploads, "vanishing.csv")); // and from the database, of which the disk is a cache
        await using (var db = Database.Open(factory.DataDirectory)) await db.Uploads.Where(u => u.Name == "vanishing").ExecuteDeleteAsync();
        byte[] garbage = [0x61, 0x2c, 0x62, 0x0a, 0xff, 0xfe, 0x00, 0x2c, 0x31, 0x0a];
        await File.WriteAllBytesAsync(Path.Combine(uploads, "corrupted.csv"), garbage); // the cache and the record both
        await using (var db = Database.Open(factory.DataDirectory)) await db.Uploads.Where(u => u.Name == "corrupted").ExecuteUpdateAsync(u => u.SetProperty(x => x.Content, garbage));
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

    /// <summary>
    /// SQLite's "database or disk is full" mid-run: the run is not failed. Its flushes are retried, past the 1 s bound it
    /// is handed back and resumed, again and again while the disk stays full; /readyz says the store is not writable.
    /// Once space is freed the run ends exactly as an undisturbed one, and /readyz is healthy again.
    /// </summary>
    [Fact]
    public async Task AFullDiskHoldsTheRunUntilSpaceIsFreedThenItEndsAsAnUndisturbedOne()
    {
        var disk = new DiskFull();
        var gate = new FlushGate();
        await using var service = new ServiceFactory(settings: Gated(new() { ["Training:StoreOutageSeconds"] = "1" }));
        await using var factory = service.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.ConfigureDbContext<TrainingDbContext>(o => o.AddInterceptors(disk, gate))));
        var client = factory.CreateClient();
        var reference = await UndisturbedAsync(client);
        gate.Arm();
        var run = await client.SubmitAsync(FaultSpec);
        await gate.WaitClosedAsync(); // one flush stored, the next held: the run is mid-way on any machine

        disk.Full = true;
        gate.Open();
        await WaitForReadinessAsync(client, HttpStatusCode.ServiceUnavailable);
        var held = await client.GetRunAsync(run.Id);
        Assert.True(held.Status == "running" && held.Progress.Step < held.Progress.TotalSteps, $"the disk filled after the run ({held.Status}, step {held.Progress.Step})");
        // Past the bound it is handed back and resumed (a second claim), while the disk is still full.
        var claims = factory.Services.GetRequiredService<Worker.WorkerHealth>().Claims;
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); claims[run.Id] < 2; await Task.Delay(20))
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the run was not handed back within 60 s of a 1 s bound");
        Assert.Equal("running", (await client.GetRunAsync(run.Id)).Status);

        disk.Full = false;
        await AssertEndsAsUndisturbedAsync(client, run.Id, reference);
        await WaitForReadinessAsync(client, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    private static async Task WaitForReadinessAsync(HttpClient client, HttpStatusCode expected)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode status;
        while ((status = (await client.GetAsync("/readyz")).StatusCode) != expected)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"/readyz still {(int)status}, expected {(int)expected}");
            await Task.Delay(50);
        }
    }
}
