using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using TrainingService.Api.Live;
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
/// every step before it: a resume never misses a step.
/// </summary>
public sealed class MetricPump(long runId, IDbContextFactory<TrainingDbContext> dbf, LiveUpdates live, TimeSpan flushInterval)
    : ITrainingObserver
{
    private const int Capacity = 16_384;

    private abstract record Item;
    private sealed record StepItem(StepPoint Point) : Item;
    private sealed record EpochItem(EpochPoint Point, long Step, byte[] Checkpoint, BoundaryPoint? Boundary) : Item;

    private readonly Channel<Item> _channel = Channel.CreateBounded<Item>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Called after each stored epoch (the worker pushes a status update).</summary>
    public Func<Task>? EpochStored { get; init; }

    public void OnStep(in StepMetrics step) => Write(new StepItem(StepPoint.From(step)));

    public void OnEpoch(EpochMetrics epoch, TrainingSession session) =>
        Write(new EpochItem(EpochPoint.From(epoch), session.Step, session.CreateCheckpoint().Serialize(), Boundary(session)));

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

    /// <summary>Why storing failed, if it did; the run then fails with this reason.</summary>
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
        var clock = Stopwatch.StartNew();
        var steps = new List<StepPoint>();
        var epochs = new List<EpochItem>();
        while (await reader.WaitToReadAsync())
        {
            // Let a batch gather, unless the engine has finished (then store the rest at once).
            var wait = flushInterval - clock.Elapsed;
            if (wait > TimeSpan.Zero && !reader.Completion.IsCompleted)
                await Task.WhenAny(Task.Delay(wait), reader.Completion);
            clock.Restart();
            while (reader.TryRead(out var item))
            {
                if (item is StepItem s) steps.Add(s.Point);
                else if (item is EpochItem e) epochs.Add(e);
                if (steps.Count >= Capacity) break;
            }
            await FlushAsync(steps, epochs);
            steps.Clear();
            epochs.Clear();
        }
    }

    /// <summary>
    /// One prepared INSERT reused for every step of the batch, inside the flush's transaction. Measured here:
    /// EF's AddRange + SaveChanges stored ~3,300 rows/s, well below what a small per-sample SGD run produces;
    /// this is an order of magnitude faster. The columns are those of <see cref="StepMetric"/> (the drift test keeps
    /// the table in step with the model).
    /// </summary>
    private async Task InsertStepsAsync(TrainingDbContext db, List<StepPoint> steps)
    {
        if (steps.Count == 0) return;
        var connection = db.Database.GetDbConnection();
        await using var insert = connection.CreateCommand();
        insert.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        insert.CommandText = """
            INSERT INTO "StepMetrics" ("RunId", "Step", "Epoch", "Loss", "GradNorm", "LayerGradNorms", "LearningRate", "ElapsedMs", "Point", "LossEvaluations", "ExamplesSeen")
            VALUES ($runId, $step, $epoch, $loss, $gradNorm, $layerGradNorms, $learningRate, $elapsedMs, $point, $lossEvaluations, $examplesSeen)
            """;
        var p = new[] { "$runId", "$step", "$epoch", "$loss", "$gradNorm", "$layerGradNorms", "$learningRate", "$elapsedMs", "$point", "$lossEvaluations", "$examplesSeen" }
            .Select(name => { var parameter = insert.CreateParameter(); parameter.ParameterName = name; insert.Parameters.Add(parameter); return parameter; })
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

    private async Task FlushAsync(List<StepPoint> steps, List<EpochItem> epochs)
    {
        if (steps.Count == 0 && epochs.Count == 0) return;
        await using (var db = await dbf.CreateDbContextAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await InsertStepsAsync(db, steps);
            db.EpochMetrics.AddRange(epochs.Select(e => e.Point.ToEntity(runId)));
            if (epochs.Count > 0)
            {
                var last = epochs[^1];
                var cp = await db.Checkpoints.FindAsync(runId);
                if (cp is null) db.Checkpoints.Add(cp = new RunCheckpoint { RunId = runId, Data = last.Checkpoint });
                (cp.Epoch, cp.Step, cp.Data, cp.CreatedAt) = (last.Point.Epoch, last.Step, last.Checkpoint, DateTime.UtcNow);
            }
            await db.SaveChangesAsync();
            long step = Math.Max(steps.Count > 0 ? steps[^1].Step : 0, epochs.Count > 0 ? epochs[^1].Step : 0);
            int epoch = Math.Max(steps.Count > 0 ? steps[^1].Epoch : 0, epochs.Count > 0 ? epochs[^1].Point.Epoch : 0);
            await db.Runs.Where(r => r.Id == runId)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Step, step).SetProperty(r => r.Epoch, epoch));
            await tx.CommitAsync();
        }

        if (steps.Count > 0) await live.StepsAsync(runId, steps.ToArray());
        foreach (var e in epochs) await live.EpochAsync(runId, e.Point);
        if (epochs.LastOrDefault(e => e.Boundary is not null)?.Boundary is { } boundary) await live.BoundaryAsync(runId, boundary);
        if (epochs.Count > 0 && EpochStored is { } notify) await notify();
    }
}
