using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using TrainingService.Api.Hosting;
using TrainingService.Api.Live;
using TrainingService.Api.Rollups;
using TrainingService.Api.Runs;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Worker;

/// <summary>
/// The engine's observer for one run. The training thread only copies each step into a bounded channel (it blocks,
/// never drops, when storage falls behind); <see cref="PumpAsync"/> drains it about every
/// <c>FlushIntervalMs</c> into one transaction (steps, epoch rows, checkpoint, progress) and then pushes the same
/// batch live. Steps and epoch ends share the channel, so a checkpoint is only committed together with (or after)
/// every step before it: a resume never misses a step. Each flush first checks, under the run row's lock, that
/// <paramref name="workerId"/> still holds the run's lease (else <see cref="LeaseLostException"/>): a worker cut off
/// while another took its run over never writes into the new owner's metrics. A flush that meets a database blip is
/// retried whole (<see cref="StoreRetry"/>) while the channel holds the engine back; past the outage bound the pump
/// stops with <see cref="StoreUnavailableException"/> and the executor hands the run back.
/// </summary>
public sealed class MetricPump(long runId, string workerId, IDbContextFactory<TrainingDbContext> dbf, IRunEvents events, LiveUpdates live, StoreRetry retry,
    TimeSpan flushInterval, TimeSpan checkpointInterval, CancellationToken stopping)
    : ITrainingObserver
{
    private const int Capacity = 16_384;

    private abstract record Item;
    private sealed record StepItem(StepPoint Point) : Item;
    private sealed record EpochItem(EpochPoint Point, long Step, byte[]? Checkpoint, BoundaryPoint? Boundary) : Item;
    private sealed record CheckpointItem(int Epoch, long Step, byte[] Data) : Item;

    private readonly RollupWriter _rollups = new(runId);

    /// <summary><c>Training__MaxStoredStepsPerRun</c>: past this step only one raw row in <see cref="RollupLadder.Base"/>
    /// is stored (the last of each finest bucket), and every epoch end's and each flush's last step; the rollups stay
    /// exact.</summary>
    public long MaxStoredSteps { get; init; } = long.MaxValue;

    private readonly Channel<Item> _channel = Channel.CreateBounded<Item>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Called after each stored epoch (the worker pushes a status update).</summary>
    public Func<Task>? EpochStored { get; init; }

    public void OnStep(in StepMetrics step) => Write(new StepItem(StepPoint.From(step)));

    public void OnEpoch(EpochMetrics epoch, TrainingSession session) =>
        Write(new EpochItem(EpochPoint.From(epoch), session.Step, CheckpointDue(session) ? session.CreateCheckpoint().Serialize() : null, Boundary(session)));

    private readonly Stopwatch _checkpointClock = new();
    private bool _lastEpochCheckpointed = true;

    /// <summary>After a run that ended at an epoch end without a checkpoint (early stopping): store that epoch's, so
    /// the stored state is the final one.</summary>
    public void OnFinished(TrainingSession session)
    {
        if (!_lastEpochCheckpointed) Write(new CheckpointItem(session.Epoch, session.Step, session.CreateCheckpoint().Serialize()));
        _lastEpochCheckpointed = true;
    }

    /// <summary>
    /// The first epoch end, the last, and any at least <c>checkpointInterval</c> after the previous checkpoint. Serializing
    /// the optimizer state happens here on the training thread (it must be this epoch's), so a run of many short epochs
    /// would otherwise spend a good part of its time on checkpoints it overwrites 100 ms later.
    /// </summary>
    private bool CheckpointDue(TrainingSession session)
    {
        bool due = !_checkpointClock.IsRunning || _checkpointClock.Elapsed >= checkpointInterval || session.Epoch >= session.Spec.Epochs;
        if (due) _checkpointClock.Restart();
        _lastEpochCheckpointed = due;
        return due;
    }

    private (double, double, double, double)? _boundaryBounds;
    private bool? _boundaryApplies;
    private long? _boundaryAtMs;
    private readonly Stopwatch _boundaryClock = Stopwatch.StartNew();

    /// <summary>
    /// The decision grid of a 2-D classifier at this epoch end, computed here on the training thread between steps
    /// (40² forward rows). Runs whose epochs take a fraction of a millisecond would spend most of their time on it, so
    /// it is computed at most once per flush interval, and always at the last epoch; REST serves the latest epoch's.
    /// </summary>
    private BoundaryPoint? Boundary(TrainingSession session)
    {
        _boundaryApplies ??= DecisionBoundary.Applies(session);
        if (_boundaryApplies == false) return null;
        long now = _boundaryClock.ElapsedMilliseconds;
        if (now - _boundaryAtMs < flushInterval.TotalMilliseconds && session.Epoch < session.Spec.Epochs) return null; // (no boundary yet: null, computed)
        _boundaryAtMs = now;
        _boundaryBounds ??= DecisionBoundary.Bounds(session);
        return BoundaryPoint.Compute(session, _boundaryBounds.Value, RunBoundaryApi.LiveResolution);
    }

    /// <summary>No more items: <see cref="PumpAsync"/> stores what is left and returns.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    private void Write(Item item)
    {
        if (!_channel.Writer.TryWrite(item))
            _channel.Writer.WriteAsync(item).AsTask().GetAwaiter().GetResult(); // back-pressure, no loss
    }

    /// <summary>Why storing failed, if it did: <see cref="LeaseLostException"/> (stop quietly),
    /// <see cref="StoreUnavailableException"/> (hand the run back), else the run fails with this reason.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Runs until <see cref="Complete"/> and the channel is drained. Stores with no cancellation: what the
    /// engine produced before a shutdown is kept (a resume deletes the steps past the last checkpoint anyway).</summary>
    public async Task PumpAsync()
    {
        try
        {
            await PumpItemsAsync();
        }
        catch (Exception e)
        {
            // Close the channel so a training thread blocked on a full channel wakes (with ChannelClosedException).
            Failure = e;
            _channel.Writer.TryComplete(e);
            while (_channel.Reader.TryRead(out _)) { }
        }
    }

    private async Task PumpItemsAsync()
    {
        var reader = _channel.Reader;
        await retry.WriteAsync($"run {runId}: preparing step rollups", async () =>
        {
            await using var db = await dbf.CreateDbContextAsync();
            await _rollups.SeedAsync(db);
        }, stopping);
        var clock = Stopwatch.StartNew();
        var steps = new List<StepPoint>();
        var epochs = new List<EpochItem>();
        CheckpointItem? checkpoint = null;
        while (await reader.WaitToReadAsync())
        {
            // Let a batch gather, unless the engine has finished (then store the rest at once).
            var wait = flushInterval - clock.Elapsed;
            if (wait > TimeSpan.Zero && !reader.Completion.IsCompleted)
                await Task.WhenAny(Task.Delay(wait), reader.Completion);
            clock.Restart();
            while (reader.TryRead(out var item))
            {
                if (item is StepItem s)
                {
                    steps.Add(s.Point);
                    _rollups.Add(s.Point);
                }
                else if (item is EpochItem e)
                {
                    epochs.Add(e);
                    if (e.Checkpoint is { } data)
                    {
                        checkpoint = new CheckpointItem(e.Point.Epoch, e.Step, data);
                        _rollups.Checkpoint();
                    }
                }
                else if (item is CheckpointItem c)
                {
                    checkpoint = c;
                    _rollups.Checkpoint();
                }
                if (steps.Count >= Capacity) break;
            }
            await FlushAsync(steps, epochs, checkpoint);
            steps.Clear();
            epochs.Clear();
            checkpoint = null;
        }
    }

    private const string StepColumns = "\"RunId\", \"Step\", \"Epoch\", \"Loss\", \"GradNorm\", \"LayerGradNorms\", \"LearningRate\", \"ElapsedMs\", \"Point\", \"LossEvaluations\", \"ExamplesSeen\"";

    /// <summary>
    /// One prepared INSERT reused for every step of the batch, inside the flush's transaction (on PostgreSQL a binary
    /// COPY instead, one round trip for the batch). Measured here: EF's AddRange + SaveChanges stored ~3,300 rows/s
    /// on SQLite, well below what a small per-sample SGD run produces; this is an order of magnitude faster. The
    /// columns are those of <see cref="StepMetric"/> (the drift tests keep the tables in step with the model).
    /// </summary>
    private async Task InsertStepsAsync(TrainingDbContext db, List<StepPoint> steps)
    {
        if (steps.Count == 0) return;
        var connection = db.Database.GetDbConnection();
        if (connection is NpgsqlConnection npgsql)
        {
            await CopyStepsAsync(npgsql, steps);
            return;
        }
        await using var insert = connection.CreateCommand();
        insert.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        insert.CommandText = $"""
            INSERT INTO "StepMetrics" ({StepColumns})
            VALUES (@runId, @step, @epoch, @loss, @gradNorm, @layerGradNorms, @learningRate, @elapsedMs, @point, @lossEvaluations, @examplesSeen)
            """;
        (string, System.Data.DbType)[] columns =
        [
            ("@runId", System.Data.DbType.Int64), ("@step", System.Data.DbType.Int64), ("@epoch", System.Data.DbType.Int32),
            ("@loss", System.Data.DbType.Double), ("@gradNorm", System.Data.DbType.Double), ("@layerGradNorms", System.Data.DbType.String),
            ("@learningRate", System.Data.DbType.Double), ("@elapsedMs", System.Data.DbType.Double), ("@point", System.Data.DbType.String),
            ("@lossEvaluations", System.Data.DbType.Int64), ("@examplesSeen", System.Data.DbType.Int64),
        ];
        var p = columns
            .Select(c => { var parameter = insert.CreateParameter(); (parameter.ParameterName, parameter.DbType) = c; insert.Parameters.Add(parameter); return parameter; })
            .ToArray();
        insert.Prepare();
        foreach (var s in steps)
        {
            var row = s.ToEntity(runId);
            p[0].Value = row.RunId; p[1].Value = row.Step; p[2].Value = row.Epoch;
            // SQLite stores NaN as NULL; a NaN loss never reaches here (the engine stops the run as diverged first).
            p[3].Value = row.Loss;
            p[4].Value = row.GradNorm is { } g && !double.IsNaN(g) ? g : DBNull.Value;
            p[5].Value = row.LayerGradNorms; p[6].Value = row.LearningRate; p[7].Value = row.ElapsedMs;
            p[8].Value = (object?)row.Point ?? DBNull.Value;
            p[9].Value = (object?)row.LossEvaluations ?? DBNull.Value;
            p[10].Value = (object?)row.ExamplesSeen ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync();
        }
    }

    private async Task CopyStepsAsync(NpgsqlConnection connection, List<StepPoint> steps)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY \"StepMetrics\" ({StepColumns}) FROM STDIN (FORMAT BINARY)");
        foreach (var s in steps)
        {
            var row = s.ToEntity(runId);
            await copy.StartRowAsync();
            await copy.WriteAsync(row.RunId, NpgsqlDbType.Bigint);
            await copy.WriteAsync(row.Step, NpgsqlDbType.Bigint);
            await copy.WriteAsync(row.Epoch, NpgsqlDbType.Integer);
            await copy.WriteAsync(row.Loss, NpgsqlDbType.Double);
            if (row.GradNorm is { } g && !double.IsNaN(g)) await copy.WriteAsync(g, NpgsqlDbType.Double); else await copy.WriteNullAsync();
            await copy.WriteAsync(row.LayerGradNorms, NpgsqlDbType.Text);
            await copy.WriteAsync(row.LearningRate, NpgsqlDbType.Double);
            await copy.WriteAsync(row.ElapsedMs, NpgsqlDbType.Double);
            if (row.Point is { } point) await copy.WriteAsync(point, NpgsqlDbType.Text); else await copy.WriteNullAsync();
            if (row.LossEvaluations is { } le) await copy.WriteAsync(le, NpgsqlDbType.Bigint); else await copy.WriteNullAsync();
            if (row.ExamplesSeen is { } ex) await copy.WriteAsync(ex, NpgsqlDbType.Bigint); else await copy.WriteNullAsync();
        }
        await copy.CompleteAsync();
    }

    /// <summary>The raw rows to store: all up to <see cref="MaxStoredSteps"/>; past it, each finest bucket's last step,
    /// every epoch end (a resume starts there) and the batch's last step (reads end with the newest).</summary>
    private List<StepPoint> StoredSteps(List<StepPoint> steps, List<EpochItem> epochs)
    {
        if (steps.Count == 0 || steps[^1].Step <= MaxStoredSteps) return steps;
        var epochEnds = epochs.Select(e => e.Step).ToHashSet();
        return steps.Where((s, i) => s.Step <= MaxStoredSteps || s.Step % RollupLadder.Base == 0 || i == steps.Count - 1 || epochEnds.Contains(s.Step)).ToList();
    }

    private async Task FlushAsync(List<StepPoint> steps, List<EpochItem> epochs, CheckpointItem? checkpoint)
    {
        if (steps.Count == 0 && epochs.Count == 0 && checkpoint is null) return;
        var epochPoints = epochs.ConvertAll(e => e.Point);
        bool again = false;
        await retry.WriteAsync($"run {runId}: storing metrics", () =>
        {
            bool maybeStored = again; // a failed commit may have committed all the same
            again = true;
            return StoreAsync(steps, epochs, epochPoints, checkpoint, maybeStored);
        }, stopping);

        await events.BatchCommittedAsync(runId, steps.ToArray(), epochPoints.ToArray());
        // The decision grid goes to this process's hub only: on a split deployment the API node serves it over REST.
        if (epochs.LastOrDefault(e => e.Boundary is not null)?.Boundary is { } boundary) await live.BoundaryAsync(runId, boundary);
        if (epochs.Count > 0 && EpochStored is { } notify) await notify();
    }

    /// <summary>The batch in one transaction. On a retry the batch may already be stored (the connection broke after
    /// the server committed): then only the lease is checked, nothing is written twice.</summary>
    private async Task StoreAsync(List<StepPoint> steps, List<EpochItem> epochs, List<EpochPoint> epochPoints, CheckpointItem? checkpoint, bool maybeStored)
    {
        await using (var db = await dbf.CreateDbContextAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            // Progress first: the UPDATE locks the run row, and changes nothing unless this worker still holds the lease.
            long step = Math.Max(steps.Count > 0 ? steps[^1].Step : 0, epochs.Count > 0 ? epochs[^1].Step : 0);
            int epoch = Math.Max(steps.Count > 0 ? steps[^1].Epoch : 0, epochs.Count > 0 ? epochs[^1].Point.Epoch : 0);
            var stored = StoredSteps(steps, epochs);
            long bytes = StorageEstimate.Bytes(stored, _rollups.PendingRows, epochs.Count);
            long? thinnedAfter = step > MaxStoredSteps ? MaxStoredSteps : null;
            int owned = await db.Runs.Where(r => r.Id == runId && r.LeaseOwner == workerId)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Step, step).SetProperty(r => r.Epoch, epoch)
                    .SetProperty(r => r.StorageBytes, r => r.StorageBytes + bytes).SetProperty(r => r.RawStepsThinnedAfter, thinnedAfter));
            if (owned == 0) throw new LeaseLostException(runId);
            if (maybeStored && await StoredAsync(db, steps, epochs))
            {
                await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.StorageBytes, r => r.StorageBytes - bytes)); // counted then
                await tx.CommitAsync();
                _rollups.Committed();
                return;
            }
            await InsertStepsAsync(db, stored);
            await _rollups.WriteAsync(db);
            db.EpochMetrics.AddRange(epochs.Select(e => e.Point.ToEntity(runId)));
            await db.SaveChangesAsync();
            if (checkpoint is { } last)
            {
                // Overwrite in place: loading the previous blob (megabytes for a large model) only to replace it costs as
                // much again.
                var now = DateTime.UtcNow;
                int updated = await db.Checkpoints.Where(c => c.RunId == runId).ExecuteUpdateAsync(u => u
                    .SetProperty(c => c.Epoch, last.Epoch).SetProperty(c => c.Step, last.Step)
                    .SetProperty(c => c.Data, last.Data).SetProperty(c => c.CreatedAt, now));
                if (updated == 0)
                {
                    db.Checkpoints.Add(new RunCheckpoint { RunId = runId, Epoch = last.Epoch, Step = last.Step, Data = last.Data, CreatedAt = now });
                    await db.SaveChangesAsync();
                }
            }
            await events.BatchWrittenAsync(db, runId, steps, epochPoints);
            await tx.CommitAsync();
        }
        _rollups.Committed();
    }

    /// <summary>Whether the batch's last step (or, without steps, its last epoch) is stored: the batch went in whole or
    /// not at all. A batch of only the final checkpoint is an update in place, harmless to repeat.</summary>
    private Task<bool> StoredAsync(TrainingDbContext db, List<StepPoint> steps, List<EpochItem> epochs)
    {
        if (steps.Count > 0)
        {
            long last = steps[^1].Step;
            return db.StepMetrics.AnyAsync(m => m.RunId == runId && m.Step == last);
        }
        if (epochs.Count > 0)
        {
            int last = epochs[^1].Point.Epoch;
            return db.EpochMetrics.AnyAsync(m => m.RunId == runId && m.Epoch == last);
        }
        return Task.FromResult(false);
    }
}
