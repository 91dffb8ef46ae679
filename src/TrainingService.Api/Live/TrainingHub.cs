using Microsoft.AspNetCore.SignalR;

namespace TrainingService.Api.Live;

/// <summary>
/// <c>/hubs/training</c>. Clients call <c>Subscribe(runId)</c> to receive that run's <c>steps</c> and <c>epoch</c>
/// messages, and <c>SubscribeSweep(sweepId)</c> for that sweep's <c>sweep</c> messages; every connection receives
/// <c>status</c> for all runs. The hub holds no logic: the worker's pump pushes
/// through <see cref="LiveUpdates"/>, which queues per connection (<see cref="LiveFanout"/>). A connection watches
/// at most <c>Training__MaxSubscriptionsPerConnection</c> runs at once.
/// </summary>
public sealed class TrainingHub(LiveFanout fanout) : Hub
{
    public override Task OnConnectedAsync()
    {
        fanout.Connected(Context.ConnectionId);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        fanout.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    public Task Subscribe(long runId)
    {
        if (!fanout.Subscribe(Context.ConnectionId, runId))
            throw new HubException($"a connection may watch at most {fanout.MaxSubscriptions} runs at once; unsubscribe from one first");
        return Task.CompletedTask;
    }

    public Task Unsubscribe(long runId)
    {
        fanout.Unsubscribe(Context.ConnectionId, runId);
        return Task.CompletedTask;
    }

    /// <summary>Receive <c>sweep(sweepId, Sweep)</c> whenever one of its trials is created, ends or is pruned, and when it ends.</summary>
    public Task SubscribeSweep(long sweepId)
    {
        fanout.SubscribeSweep(Context.ConnectionId, sweepId);
        return Task.CompletedTask;
    }

    public Task UnsubscribeSweep(long sweepId)
    {
        fanout.UnsubscribeSweep(Context.ConnectionId, sweepId);
        return Task.CompletedTask;
    }
}
