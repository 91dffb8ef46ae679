using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace TrainingService.Api.Tests;

/// <summary>A hub connection over TestServer's websocket, speaking SignalR's JSON protocol (records end with 0x1E).</summary>
public sealed class HubClient(WebSocket ws)
{
    private const char RecordSeparator = '\u001e';
    private readonly Queue<string> _records = new();
    private readonly StringBuilder _partial = new();
    private readonly byte[] _buffer = new byte[64 * 1024];

    public static async Task<HubClient> ConnectAsync(ServiceFactory factory, string query = "")
    {
        var ws = await factory.Server.CreateWebSocketClient().ConnectAsync(new Uri("ws://localhost/hubs/training" + query), CancellationToken.None);
        var hub = new HubClient(ws);
        await hub.SendAsync("""{"protocol":"json","version":1}""");
        Assert.Equal("{}", await hub.NextAsync());
        return hub;
    }

    /// <summary>Invokes a hub method and returns its completion record (other messages in between are skipped).</summary>
    public async Task<string> InvokeAsync(string id, string target, params object[] args)
    {
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments = args }));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            string record = await NextAsync(timeout.Token);
            if (record.Contains($"\"invocationId\":\"{id}\"")) return record;
        }
    }

    public Task SendAsync(string json) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task<string> NextAsync(CancellationToken ct = default)
    {
        while (_records.Count == 0)
        {
            var result = await ws.ReceiveAsync(_buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("hub closed the connection");
            _partial.Append(Encoding.UTF8.GetString(_buffer, 0, result.Count));
            string text = _partial.ToString();
            int cut = text.LastIndexOf(RecordSeparator);
            if (cut < 0) continue;
            foreach (string record in text[..cut].Split(RecordSeparator)) _records.Enqueue(record);
            _partial.Clear().Append(text[(cut + 1)..]);
        }
        return _records.Dequeue();
    }

    public Task CloseAsync() => ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
}
