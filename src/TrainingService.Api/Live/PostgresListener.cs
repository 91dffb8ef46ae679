using System.Globalization;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using TrainingService.Api.Contracts;
using TrainingService.Api.Hosting;
using TrainingService.Api.Worker;
using TrainingService.Data;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Live;

/// <summary>
/// LISTENs on its own connection (reconnecting after any failure) and acts on <see cref="PostgresRunEvents"/>'
/// notifications in the order they arrive (PostgreSQL delivers them in commit order). API nodes read each announced
/// batch from the tables and push it to the run's hub group; worker nodes wake their slots and cancel their sessions.
/// <para>Live points stay gapless and duplicate-free per run because this node remembers the last step and epoch it
/// pushed and only ever pushes the contiguous rows after them: a notification missed while reconnecting is covered
/// by the next one, and the steps a takeover recomputes after a worker died (identical, as resumes are exact) are
/// not pushed twice.</para>
/// </summary>
public sealed class PostgresListener(
    TrainingStore store,
    IOptions<TrainingOptions> options,
    IDbContextFactory<TrainingDbContext> dbf,
    LiveUpdates live,
    RunQueue queue,
    RunRegistry registry,
    ILogger<PostgresListener> log) : BackgroundService
{
    private sealed class Pushed
    {
        public long? Step;
        public int? Epoch;
        /// <summary>When its final status was pushed: later batch notifications are stale (a fast run's batches can be
        /// handled after the status that already caught up past them) and must not start the run over.</summary>
        public DateTime? FinishedAt;

        /// <summary>Seen from its start: every step and epoch is still to be pushed.</summary>
        public static Pushed FromStart() => new() { Step = 0, Epoch = 0 };
    }

    /// <summary>How long a finished run's pushed position is kept to recognise stale notifications.</summary>
    private static readonly TimeSpan KeepFinished = TimeSpan.FromMinutes(10);

    /// <summary>When the first LISTEN was in place: a run started after it has every notification of its own on this node,
    /// so its live points are pushed from step 1 whatever order they are handled in.</summary>
    private DateTime _listeningSince = DateTime.MaxValue;

    private readonly Channel<(string Channel, string Payload)> _inbox = Channel.CreateUnbounded<(string, string)>(new() { SingleReader = true });
    private readonly Dictionary<long, Pushed> _pushed = [];

    /// <summary>Set once the first LISTEN is in place (tests and readiness can wait for it).</summary>
    public TaskCompletionSource Listening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!store.IsPostgres) return; // SQLite: one process, events stay in it
        var channels = new List<string>();
        if (options.Value.ServesApi) channels.AddRange([PostgresRunEvents.Steps, PostgresRunEvents.Status]);
        if (options.Value.Trains) channels.AddRange([PostgresRunEvents.Cancel, PostgresRunEvents.Queue]);
        if (channels.Count == 0) return;
        var processing = Task.Run(() => ProcessAsync(stoppingToken), CancellationToken.None);
        try
        {
            await ListenAsync(channels, stoppingToken);
        }
        finally
        {
            _inbox.Writer.TryComplete();
            await processing;
        }
    }

    private async Task ListenAsync(List<string> channels, CancellationToken ct)
    {
        // Its own, unpooled connection: LISTEN belongs to a session, which must not go back to a pool.
        var cs = new NpgsqlConnectionStringBuilder(store.ConnectionString) { Pooling = false, KeepAlive = 5 }.ConnectionString;
        var delay = TimeSpan.FromMilliseconds(200);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(cs);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) => _inbox.Writer.TryWrite((e.Channel, e.Payload));
                await using (var listen = connection.CreateCommand())
                {
                    listen.CommandText = string.Concat(channels.Select(c => $"LISTEN {c};"));
                    await listen.ExecuteNonQueryAsync(ct);
                }
                log.LogInformation("listening on {Channels}", string.Join(", ", channels));
                if (Listening.TrySetResult()) _listeningSince = DateTime.UtcNow;
                delay = TimeSpan.FromMilliseconds(200);
                while (!ct.IsCancellationRequested) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "LISTEN connection lost; reconnecting in {Delay} ms", delay.TotalMilliseconds);
                try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { return; }
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    private async Task ProcessAsync(CancellationToken ct)
    {
        await foreach (var (channel, payload) in _inbox.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                switch (channel)
                {
                    case PostgresRunEvents.Steps: await PushBatchAsync(payload); break;
                    case PostgresRunEvents.Status: await PushStatusAsync(long.Parse(payload, CultureInfo.InvariantCulture)); break;
                    case PostgresRunEvents.Cancel: registry.Cancel(long.Parse(payload, CultureInfo.InvariantCulture)); break;
                    case PostgresRunEvents.Queue: queue.Wake(); break;
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning(e, "notification {Channel} '{Payload}' not handled", channel, payload);
            }
        }
    }

    private async Task PushBatchAsync(string payload)
    {
        var f = payload.Split(' ').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        long runId = f[0], firstStep = f[1], lastStep = f[2];
        int firstEpoch = (int)f[3], lastEpoch = (int)f[4];
        if (!_pushed.TryGetValue(runId, out var pushed)) _pushed[runId] = pushed = await FirstSeenAsync(runId);
        if (pushed.FinishedAt is not null) return; // stale: the final status already covered it
        // First batch seen for a run that started before this node listened: live from here on; a subscriber that
        // joined mid-run reads what came before over REST.
        if (pushed.Step is null && firstStep > 0) pushed.Step = firstStep - 1;
        if (pushed.Epoch is null && firstEpoch > 0) pushed.Epoch = firstEpoch - 1;
        log.LogDebug("run {RunId}: batch {FirstStep}..{LastStep}, epochs {FirstEpoch}..{LastEpoch}; pushed so far {Step}, {Epoch}",
            runId, firstStep, lastStep, firstEpoch, lastEpoch, pushed.Step, pushed.Epoch);
        await CatchUpAsync(runId, pushed, lastStep, lastEpoch);
    }

    /// <summary>Pushes the stored steps after the last one pushed, up to <paramref name="lastStep"/>, stopping at the
    /// first missing one; then the epochs likewise.</summary>
    private async Task CatchUpAsync(long runId, Pushed pushed, long lastStep, int lastEpoch)
    {
        await using var db = await dbf.CreateDbContextAsync();
        if (pushed.Step is { } after && lastStep > after)
        {
            var rows = await db.StepMetrics.AsNoTracking()
                .Where(m => m.RunId == runId && m.Step > after && m.Step <= lastStep).OrderBy(m => m.Step).ToListAsync();
            int contiguous = 0;
            while (contiguous < rows.Count && rows[contiguous].Step == after + contiguous + 1) contiguous++;
            if (contiguous > 0)
            {
                await live.StepsAsync(runId, rows.Take(contiguous).Select(StepPoint.From).ToArray());
                pushed.Step = after + contiguous;
            }
        }
        if (pushed.Epoch is { } afterEpoch && lastEpoch > afterEpoch)
        {
            var rows = await db.EpochMetrics.AsNoTracking()
                .Where(m => m.RunId == runId && m.Epoch > afterEpoch && m.Epoch <= lastEpoch).OrderBy(m => m.Epoch).ToListAsync();
            foreach (var row in rows)
            {
                if (row.Epoch != pushed.Epoch + 1) break;
                await live.EpochAsync(runId, EpochPoint.From(row));
                pushed.Epoch = row.Epoch;
            }
        }
    }

    /// <summary>The run as it is now, which may be ahead of the batches announced so far (a short run can finish
    /// before this node handles its first notification): the steps and epochs up to the run's progress are pushed
    /// first, so a subscriber never sees a status before the points it covers.</summary>
    private async Task PushStatusAsync(long runId)
    {
        RunDto? dto;
        await using (var db = await dbf.CreateDbContextAsync()) dto = await db.FindDtoAsync(runId);
        if (dto is null)
        {
            _pushed.Remove(runId);
            return;
        }
        if (!_pushed.TryGetValue(runId, out var pushed) && (dto.Progress.Step == 0 || StartedSinceListening(dto.StartedAt)))
            _pushed[runId] = pushed = Pushed.FromStart();
        if (pushed is { FinishedAt: null }) await CatchUpAsync(runId, pushed, dto.Progress.Step, dto.Progress.Epoch);
        await live.StatusAsync(dto);
        if (RunStatus.IsFinished(dto.Status) && dto.Summary is not null)
            (_pushed.TryGetValue(runId, out var p) ? p : _pushed[runId] = new Pushed()).FinishedAt ??= DateTime.UtcNow;
        Prune();
    }

    /// <summary>A run this node has no position for: from its start if it started after this node listened (every
    /// notification of it is still to come or queued here), else unknown (live from the first batch handled).</summary>
    private async Task<Pushed> FirstSeenAsync(long runId)
    {
        await using var db = await dbf.CreateDbContextAsync();
        var startedAt = await db.Runs.Where(r => r.Id == runId).Select(r => r.StartedAt).FirstOrDefaultAsync();
        return StartedSinceListening(startedAt) ? Pushed.FromStart() : new Pushed();
    }

    /// <summary>Whether a run started after this node's first LISTEN (never, if it has not started). Both sides are
    /// UTC; DateTime comparison reads the ticks alone, so a stored value's unspecified Kind does not matter.</summary>
    private bool StartedSinceListening(DateTime? startedAt) => startedAt >= _listeningSince;

    private void Prune()
    {
        var cutoff = DateTime.UtcNow - KeepFinished;
        foreach (var (id, p) in _pushed)
            if (p.FinishedAt < cutoff) _pushed.Remove(id);
    }
}
