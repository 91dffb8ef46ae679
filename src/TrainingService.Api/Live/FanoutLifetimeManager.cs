using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace TrainingService.Api.Live;

/// <summary>
/// SignalR's default lifetime manager for <see cref="TrainingHub"/>, which also keeps each connection's
/// <see cref="HubConnectionContext"/> by id, so <see cref="LiveFanout"/> can write one
/// <see cref="SerializedHubMessage"/> (serialized once per protocol, however many connections receive it) to each
/// subscriber. <c>Clients.Client(id).SendAsync</c> serializes the arguments again for every connection: with 50
/// subscribers on a run at thousands of steps a second that was 50 JSON encodings of every point.
/// </summary>
public sealed class FanoutLifetimeManager(ILogger<DefaultHubLifetimeManager<TrainingHub>> logger) : DefaultHubLifetimeManager<TrainingHub>(logger)
{
    private readonly ConcurrentDictionary<string, HubConnectionContext> _connections = new();

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        _connections[connection.ConnectionId] = connection;
        return base.OnConnectedAsync(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _connections.TryRemove(connection.ConnectionId, out _);
        return base.OnDisconnectedAsync(connection);
    }

    /// <summary>The live connection with this id, or null once it has gone.</summary>
    public HubConnectionContext? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);
}
