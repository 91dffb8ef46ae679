using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;

namespace TrainingService.Api.Live;

/// <summary>
/// Delivers the live messages without ever making their producer wait. Each hub connection has its own bounded
/// queue and one sender that awaits each send in turn, so messages reach a client in the order they were posted,
/// and a slow client holds up only itself. A client that falls <see cref="TrainingOptions.LiveQueueCapacity"/>
/// messages behind has its queue dropped and gets <c>resync(runIds)</c>: every point sent live is stored before it
/// is sent, so the client reloads the runs it watches from REST and carries on with the live messages that follow.
/// A message is serialized once (a <see cref="SerializedHubMessage"/>, through <see cref="FanoutLifetimeManager"/>)
/// and the same bytes are written to every connection it is posted to.
/// </summary>
public sealed class LiveFanout(FanoutLifetimeManager hub, IOptions<TrainingOptions> options, IOptions<JsonHubProtocolOptions> json, ILogger<LiveFanout> log)
{
    public const string ResyncMethod = "resync";

    private readonly ConcurrentDictionary<string, Subscriber> _connections = new();
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<string, Subscriber>> _runs = new();
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<string, Subscriber>> _sweeps = new();
    private readonly ConcurrentDictionary<long, Message> _latest = new();
    private readonly JsonSerializerOptions _json = json.Value.PayloadSerializerOptions;
    private readonly FanoutLifetimeManager _hub = hub;
    private readonly ILogger _log = log;
    private readonly int _capacity = options.Value.LiveQueueCapacity;
    private long _resyncs;

    public int MaxSubscriptions { get; } = options.Value.MaxSubscriptionsPerConnection;

    /// <summary>How many times a lagging connection's queue was dropped for a <c>resync</c> (since start).</summary>
    public long Resyncs => Interlocked.Read(ref _resyncs);

    public void Connected(string connectionId)
    {
        var s = new Subscriber(connectionId, this);
        if (_connections.TryAdd(connectionId, s)) s.Start();
    }

    public void Disconnected(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var s)) return;
        foreach (long runId in s.RunIds()) Unsubscribe(connectionId, runId);
        foreach (var subscribers in _sweeps.Values) subscribers.TryRemove(connectionId, out _);
        s.Complete();
    }

    /// <summary>False when the connection already watches <see cref="MaxSubscriptions"/> runs.</summary>
    public bool Subscribe(string connectionId, long runId)
    {
        if (!_connections.TryGetValue(connectionId, out var s)) return true;
        if (!s.TryAdd(runId, MaxSubscriptions)) return false;
        _runs.GetOrAdd(runId, _ => new())[connectionId] = s;
        // A view that is not stored at every epoch (the filters): the newest one, so the client starts from it rather
        // than from the last checkpoint. Posted after joining: a newer one may come first, and the client keeps the newer.
        if (_latest.TryGetValue(runId, out var latest)) s.Post(latest);
        return true;
    }

    public void Unsubscribe(string connectionId, long runId)
    {
        if (_connections.TryGetValue(connectionId, out var s)) s.Remove(runId);
        if (_runs.TryGetValue(runId, out var subscribers)) subscribers.TryRemove(connectionId, out _);
    }

    /// <summary>A sweep's <c>sweep</c> messages (not counted against <see cref="MaxSubscriptions"/>: one message per trial
    /// event, however many runs the sweep has).</summary>
    public void SubscribeSweep(string connectionId, long sweepId)
    {
        if (_connections.TryGetValue(connectionId, out var s)) _sweeps.GetOrAdd(sweepId, _ => new())[connectionId] = s;
    }

    public void UnsubscribeSweep(string connectionId, long sweepId)
    {
        if (_sweeps.TryGetValue(sweepId, out var subscribers)) subscribers.TryRemove(connectionId, out _);
    }

    /// <summary>The sweeps some connection of this process watches.</summary>
    public IReadOnlyList<long> WatchedSweeps() => [.. _sweeps.Where(s => !s.Value.IsEmpty).Select(s => s.Key)];

    /// <summary>To the connections subscribed to the sweep: <c>method(sweepId, payload)</c>.</summary>
    public void ToSweep(long sweepId, string method, object payload)
    {
        if (!_sweeps.TryGetValue(sweepId, out var subscribers) || subscribers.IsEmpty) return;
        Post(subscribers, Serialize(method, sweepId, payload));
    }

    /// <summary>To the connections subscribed to the run.</summary>
    public void ToRun(long runId, string method, object payload)
    {
        if (!_runs.TryGetValue(runId, out var subscribers) || subscribers.IsEmpty) return;
        Post(subscribers, Serialize(method, runId, payload));
    }

    /// <summary>To the connections subscribed to the run, and kept as the run's newest <paramref name="method"/> message
    /// for connections that subscribe later (<see cref="Subscribe"/>), until <see cref="Forget"/>. At most
    /// <see cref="MaxLatest"/> runs' messages are kept.</summary>
    public void ToRunKeepingLatest(long runId, string method, object payload)
    {
        var message = Serialize(method, runId, payload);
        _latest[runId] = message;
        if (_latest.Count > MaxLatest) foreach (long other in _latest.Keys.Where(k => k != runId).Take(_latest.Count - MaxLatest)) _latest.TryRemove(other, out _);
        if (_runs.TryGetValue(runId, out var subscribers)) Post(subscribers, message);
    }

    private static void Post(ConcurrentDictionary<string, Subscriber> subscribers, Message message)
    {
        foreach (var s in subscribers.Values) s.Post(message);
    }

    /// <summary>Runs whose newest view is kept (a run that ends is forgotten; this bounds runs that never said so).</summary>
    public const int MaxLatest = 64;

    /// <summary>Drops the run's kept message (it ended: its stored view is the final one).</summary>
    public void Forget(long runId) => _latest.TryRemove(runId, out _);

    /// <summary>To every connection.</summary>
    public void ToAll(string method, long runId, object payload)
    {
        if (_connections.IsEmpty) return;
        var message = Serialize(method, runId, payload);
        foreach (var s in _connections.Values) s.Post(message);
    }

    /// <summary>The payload is captured as JSON now (the producer may reuse its objects); the hub frame is encoded on the
    /// first write and reused for every other connection.</summary>
    private Message Serialize(string method, long runId, object payload) =>
        new(method, new SerializedHubMessage(new InvocationMessage(method, [runId, JsonSerializer.SerializeToElement(payload, _json)])));

    private sealed record Message(string Method, SerializedHubMessage? Frame);

    private sealed class Subscriber(string connectionId, LiveFanout owner)
    {
        private readonly Channel<Message> _queue = Channel.CreateBounded<Message>(new BoundedChannelOptions(owner._capacity)
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
        });
        private readonly HashSet<long> _runs = [];
        private readonly Lock _overflow = new();

        public void Start() => _ = Task.Run(SendLoopAsync);

        public void Complete() => _queue.Writer.TryComplete();

        public bool TryAdd(long runId, int max)
        {
            lock (_runs) return _runs.Contains(runId) || _runs.Count < max && _runs.Add(runId);
        }

        public void Remove(long runId)
        {
            lock (_runs) _runs.Remove(runId);
        }

        public long[] RunIds()
        {
            lock (_runs) return [.. _runs];
        }

        public void Post(Message message)
        {
            if (_queue.Writer.TryWrite(message)) return;
            lock (_overflow)
            {
                if (_queue.Writer.TryWrite(message)) return;
                // Lagging: drop what waits (the client reloads it from REST) and say so.
                while (_queue.Reader.TryRead(out _)) { }
                Interlocked.Increment(ref owner._resyncs);
                _queue.Writer.TryWrite(new Message(ResyncMethod, null));
            }
        }

        private async Task SendLoopAsync()
        {
            // The lifetime manager registers a connection before the hub's OnConnectedAsync starts this loop.
            var connection = owner._hub.Find(connectionId);
            if (connection is null) return; // already gone
            await foreach (var m in _queue.Reader.ReadAllAsync())
            {
                try
                {
                    if (m.Frame is null) await connection.WriteAsync(new InvocationMessage(ResyncMethod, [RunIds()]));
                    else await connection.WriteAsync(m.Frame);
                }
                catch (Exception e)
                {
                    owner._log.LogDebug(e, "live {Method} not sent to {ConnectionId}", m.Method, connectionId);
                }
            }
        }
    }
}
