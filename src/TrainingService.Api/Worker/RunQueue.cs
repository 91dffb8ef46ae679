namespace TrainingService.Api.Worker;

/// <summary>Wakes idle worker slots when a run is queued (they also poll, so a missed wake costs at most a second).
/// The queue itself is the Runs table: slots claim the oldest queued row.</summary>
public sealed class RunQueue
{
    private readonly SemaphoreSlim _signal = new(0);

    public void Wake()
    {
        if (_signal.CurrentCount < 64) _signal.Release();
    }

    /// <summary>Returns when woken or after <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>Whether the worker loop is alive (for /readyz), and which runs this process claimed (tests check each once).</summary>
public sealed class WorkerHealth
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, int> _claims = new();
    private volatile bool _running;

    public bool IsRunning => _running;
    internal void SetRunning(bool running) => _running = running;

    internal void Claimed(long runId) => _claims.AddOrUpdate(runId, 1, (_, n) => n + 1);

    /// <summary>How many times this process started training each run (a resume counts again).</summary>
    public IReadOnlyDictionary<long, int> Claims => _claims;
}
