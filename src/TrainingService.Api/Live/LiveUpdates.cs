using Microsoft.AspNetCore.SignalR;
using TrainingService.Api.Runs;

namespace TrainingService.Api.Live;

/// <summary>Sends the Contract's hub messages. Method names are spelled out (<c>steps</c>, <c>epoch</c>, <c>status</c>, and
/// <c>boundary</c>)
/// because other tools listen for exactly these. A failed push is logged, never allowed to stop training.
/// All four are queued per connection by <see cref="LiveFanout"/> and return at
/// once, so a slow client can neither stall the pump nor, through its bounded channel, training.</summary>
public sealed class LiveUpdates(IHubContext<TrainingHub> hub, LiveFanout fanout, ILogger<LiveUpdates> log)
{
    public Task StepsAsync(long runId, StepPoint[] points) => Post(() => fanout.ToRun(runId, "steps", points), "steps", runId);

    public Task EpochAsync(long runId, EpochPoint epoch) => Post(() => fanout.ToRun(runId, "epoch", epoch), "epoch", runId);

    /// <summary>Extends the Contract: the decision grid of a 2-D classifier, at most one per flush.</summary>
    public Task BoundaryAsync(long runId, BoundaryPoint boundary) => Post(() => fanout.ToRun(runId, "boundary", boundary), "boundary", runId);

    public Task StatusAsync(RunDto run) => Post(() => fanout.ToAll("status", run.Id, run), "status", run.Id);

    private Task Post(Action post, string method, long runId)
    {
        try { post(); }
        catch (Exception e) { log.LogWarning(e, "live {Method} for run {RunId} not sent", method, runId); }
        return Task.CompletedTask;
    }

    /// <summary>For messages sent straight to a run's SignalR group (awaited: keep them rare and small, or post them
    /// through <see cref="LiveFanout.ToRun"/>).</summary>
    public IClientProxy Group(long runId) => hub.Clients.Group(TrainingHub.GroupName(runId));

    private async Task SendAsync(IClientProxy clients, string method, long runId, object payload)
    {
        try { await clients.SendAsync(method, runId, payload); }
        catch (Exception e) { log.LogWarning(e, "live {Method} for run {RunId} not sent", method, runId); }
    }
}
