using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace TrainingService.Api.Tests;

/// <summary>The official .NET SignalR client on the test server's hub: negotiate through the server's handler, the
/// websocket through its websocket client; payloads read as the REST tests read them (<see cref="Api.Json"/>).</summary>
public static class LiveHub
{
    /// <summary>A started connection to <c>/hubs/training</c>; <paramref name="query"/> (e.g. <c>?access_token=…</c>)
    /// rides on negotiate and on the websocket, as the JavaScript client sends a key.</summary>
    public static async Task<HubConnection> ConnectHubAsync(this ServiceFactory factory, string query = "")
    {
        var server = factory.Server;
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "hubs/training" + query), o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.WebSocketFactory = async (context, ct) => await server.CreateWebSocketClient().ConnectAsync(context.Uri, ct);
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions = Api.Json)
            .Build();
        await hub.StartAsync();
        return hub;
    }

    /// <summary>Waits for <paramref name="task"/> (a message the test expects), failing after <paramref name="seconds"/>.</summary>
    public static Task Within(this Task task, int seconds = 60) => task.WaitAsync(TimeSpan.FromSeconds(seconds));
}
