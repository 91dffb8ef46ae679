using Microsoft.AspNetCore.SignalR;

namespace TrainingService.Api.Live;

/// <summary>
/// <c>/hubs/training</c>. Clients call <c>Subscribe(runId)</c> to receive that run's <c>steps</c> and <c>epoch</c>
/// messages; every connection receives <c>status</c> for all runs. The hub holds no logic: the worker's pump pushes
/// through <see cref="LiveUpdates"/>.
/// </summary>
public sealed class TrainingHub : Hub
{
    public static string GroupName(long runId) => $"run-{runId}";

    public Task Subscribe(long runId) => Groups.AddToGroupAsync(Context.ConnectionId, GroupName(runId));

    public Task Unsubscribe(long runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(runId));
}
