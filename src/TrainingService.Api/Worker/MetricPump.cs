using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Api.Hosting;
using TrainingService.Api.Rollups;
using TrainingService.Data;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Worker;

/// <summary>
/// The engine's observer for one run. The training thread only copies each step into a bounded channel
/// (<see cref="MetricChannel"/>: it blocks, never drops, when storage falls behind); <see cref="PumpAsync"/> drains it
/// about every <c>FlushIntervalMs</c> (<see cref="BatchReader"/>) into one transaction (<see cref="BatchWriter"/>:
/// steps, epoch rows, checkpoint, progress) and then pushes the same batch live. Steps and epoch ends share the
/// channel, so a checkpoint is only committed together with (or after) every step before it: a resume never misses a
/// step. Each flush first checks, under the run row's lock, that <paramref name="workerId"/> still holds the run's
/// lease (else <see cref="LeaseLostException"/>): a worker cut off while another took its run over never writes into
/// the new owner's metrics. A flush that meets a database blip is retried whole (<see cref="StoreRetry"/>) while the
/// channel holds the engine back; past the outage bound the pump stops with <see cref="StoreUnavailableException"/>
/// and the executor hands the run back. When an epoch end carries a checkpoint, a decision grid, a regression view or
/// filters is decided on the training thread by <see cref="CheckpointPolicy"/>, <see cref="BoundaryPolicy"/>,
/// <see cref="RegressionPolicy"/> and <see cref="FiltersPolicy"/>.
/// </summary>
public sealed class MetricPump(long runId, string workerId, IDbContextFactory<TrainingDbContext> dbf, IRunEvents events, StoreRetry retry,
    TimeSpan flushInterval, TimeSpan checkpointInterval, CancellationToken stopping)
    : ITrainingObserver
{
    private readonly MetricChannel _channel = new();
    private readonly RollupWriter _rollups = new(runId);
    private readonly CheckpointPolicy _checkpoints = new(checkpointInterval);
    private readonly BoundaryPolicy _boundaries = new(flushInterval);
    private readonly RegressionPolicy _regressions = new(flushInterval);
    private readonly FiltersPolicy _filters = new();

    /// <summary><c>Training__MaxStoredStepsPerRun</c>: past this step only one raw row in <see cref="RollupLadder.Base"/>
    /// is stored (the last of each finest bucket), and every epoch end's and each flush's last step; the rollups stay
    /// exact.</summary>
    public long MaxStoredSteps { get; init; } = long.MaxValue;

    /// <summary>Called after each stored epoch (the worker pushes a status update).</summary>
    public Func<Task>? EpochStored { get; init; }

    public void OnStep(in StepMetrics step) => _channel.Write(new StepItem(StepPoint.From(step)));

    public void OnEpoch(EpochMetrics epoch, TrainingSession session) =>
        _channel.Write(new EpochItem(EpochPoint.From(epoch), session.Step,
            _checkpoints.Due(session) ? session.CreateCheckpoint().Serialize() : null, _boundaries.At(session), _regressions.At(session), _filters.At(session)));

    /// <summary>After a run that ended at an epoch end without a checkpoint (early stopping): store that epoch's, so
    /// the stored state is the final one.</summary>
    public void OnFinished(TrainingSession session)
    {
        if (_checkpoints.LastEpochSkipped) _channel.Write(new CheckpointItem(session.Epoch, session.Step, session.CreateCheckpoint().Serialize()));
        _checkpoints.Taken();
    }

    /// <summary>No more items: <see cref="PumpAsync"/> stores what is left and returns.</summary>
    public void Complete() => _channel.Complete();

    /// <summary>Why storing failed, if it did: <see cref="LeaseLostException"/> (stop quietly),
    /// <see cref="StoreUnavailableException"/> (hand the run back), else the run fails with this reason.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Runs until <see cref="Complete"/> and the channel is drained. Stores with no cancellation: what the
    /// engine produced before a shutdown is kept (a resume deletes the steps past the last checkpoint anyway).</summary>
    public async Task PumpAsync()
    {
        var writer = new BatchWriter(runId, workerId, dbf, events, retry, _rollups, MaxStoredSteps, stopping);
        try
        {
            await writer.PrepareAsync();
            await new BatchReader(_channel, _rollups, flushInterval).ReadAsync(batch => FlushAsync(writer, batch));
        }
        catch (Exception e)
        {
            // Close the channel so a training thread blocked on a full channel wakes (with ChannelClosedException).
            Failure = e;
            _channel.Fail(e);
        }
    }

    /// <summary>Stores the batch, then publishes it: the hub (or NOTIFY), the decision grid, the regression view, every epoch's filters, the status.</summary>
    private async Task FlushAsync(BatchWriter writer, MetricBatch batch)
    {
        if (batch.IsEmpty) return;
        var epochPoints = batch.Epochs.ConvertAll(e => e.Point);
        await writer.WriteAsync(batch, epochPoints);

        await events.BatchCommittedAsync(runId, batch.Steps.ToArray(), epochPoints.ToArray());
        if (batch.Epochs.LastOrDefault(e => e.Boundary is not null)?.Boundary is { } boundary) await events.BoundaryAsync(runId, boundary);
        if (batch.Epochs.LastOrDefault(e => e.Regression is not null)?.Regression is { } fit) await events.RegressionAsync(runId, fit);
        foreach (var e in batch.Epochs) if (e.Filters is { } filters) await events.FiltersAsync(runId, filters);
        if (batch.Epochs.Count > 0 && EpochStored is { } notify) await notify();
    }
}
