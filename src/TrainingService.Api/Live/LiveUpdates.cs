using TrainingService.Api.Contracts;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Live;

/// <summary>Sends the Contract's hub messages. Method names are spelled out (<c>steps</c>, <c>epoch</c>, <c>status</c>,
/// <c>boundary</c>, <c>regression</c> and <c>filters</c>)
/// because other tools listen for exactly these. A failed push is logged, never allowed to stop training.
/// All are queued per connection by <see cref="LiveFanout"/> and return at
/// once, so a slow client can neither stall the pump nor, through its bounded channel, training.</summary>
public sealed class LiveUpdates(LiveFanout fanout, ILogger<LiveUpdates> log)
{
    public Task StepsAsync(long runId, StepPoint[] points) => Post(() => fanout.ToRun(runId, "steps", points), "steps", runId);

    public Task EpochAsync(long runId, EpochPoint epoch) => Post(() => fanout.ToRun(runId, "epoch", epoch), "epoch", runId);

    /// <summary>Extends the Contract: the decision grid of a 2-D classifier, at most one per flush.</summary>
    public Task BoundaryAsync(long runId, BoundaryPoint boundary) => Post(() => fanout.ToRun(runId, "boundary", boundary), "boundary", runId);

    /// <summary>Extends the Contract: a 1-feature regressor's curve, residuals and loss along the slope, at most one per flush.</summary>
    public Task RegressionAsync(long runId, RegressionPoint fit) => Post(() => fanout.ToRun(runId, "regression", fit), "regression", runId);

    /// <summary>Extends the Contract: a convolutional run's first filters, at every epoch end. The newest is also sent to
    /// a connection when it subscribes, while the run trains (checkpoints, what REST reads, can be epochs behind).</summary>
    public Task FiltersAsync(long runId, FiltersPoint filters) => Post(() => fanout.ToRunKeepingLatest(runId, "filters", filters), "filters", runId);

    public Task StatusAsync(RunDto run) => Post(() =>
    {
        if (RunStatus.IsFinished(run.Status)) fanout.Forget(run.Id);
        fanout.ToAll("status", run.Id, run);
    }, "status", run.Id);

    private Task Post(Action post, string method, long runId)
    {
        try { post(); }
        catch (Exception e) { log.LogWarning(e, "live {Method} for run {RunId} not sent", method, runId); }
        return Task.CompletedTask;
    }
}
