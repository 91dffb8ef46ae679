using Microsoft.AspNetCore.SignalR;
using TrainingService.Api.Runs;

namespace TrainingService.Api.Live;

/// <summary>Sends the Contract's hub messages. Method names are spelled out (<c>steps</c>, <c>epoch</c>, <c>status</c>, and <c>boundary</c>)
/// because other tools listen for exactly these. A failed push is logged, never allowed to stop training.</summary>
public sealed class LiveUpdates(IHubContext<TrainingHub> hub, ILogger<LiveUpdates> log)
{
    public Task StepsAsync(long runId, StepPoint[] points) =>
        SendAsync(hub.Clients.Group(TrainingHub.GroupName(runId)), "steps", runId, points);

    public Task EpochAsync(long runId, EpochPoint epoch) =>
        SendAsync(hub.Clients.Group(TrainingHub.GroupName(runId)), "epoch", runId, epoch);

    /// <summary>Extends the Contract: the decision grid of a 2-D classifier, at most one per flush.</summary>
    public Task BoundaryAsync(long runId, BoundaryPoint boundary) =>
        SendAsync(hub.Clients.Group(TrainingHub.GroupName(runId)), "boundary", runId, boundary);

    public Task StatusAsync(RunDto run) => SendAsync(hub.Clients.All, "status", run.Id, run);

    private async Task SendAsync(IClientProxy clients, string method, long runId, object payload)
    {
        try { await clients.SendAsync(method, runId, payload); }
        catch (Exception e) { log.LogWarning(e, "live {Method} for run {RunId} not sent", method, runId); }
    }
}
