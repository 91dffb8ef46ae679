using System.Collections.Concurrent;

namespace TrainingService.Api.Worker;

/// <summary>
/// The runs training in this process, each with its CancellationTokenSource. Cancel and delete signal through it;
/// the engine checks the token between steps and, inside the steps that can take minutes (gradient checks, numerical
/// gradients, search populations), between loss evaluations, so a cancel takes effect within milliseconds.
/// </summary>
public sealed class RunRegistry
{
    private readonly ConcurrentDictionary<long, ActiveRun> _active = new();

    public ActiveRun Register(long runId, CancellationToken stopping)
    {
        var run = new ActiveRun(runId, stopping, this);
        if (!_active.TryAdd(runId, run)) throw new InvalidOperationException($"run {runId} is already training in this process");
        return run;
    }

    /// <summary>Signals the run to stop; false when it is not training here.</summary>
    public bool Cancel(long runId)
    {
        if (!_active.TryGetValue(runId, out var run)) return false;
        run.Cancel();
        return true;
    }

    /// <summary>Waits until the run has stopped training here (or the timeout passes).</summary>
    public async Task WaitUntilStoppedAsync(long runId, TimeSpan timeout)
    {
        if (_active.TryGetValue(runId, out var run))
            await run.Stopped.WaitAsync(timeout).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public bool IsActive(long runId) => _active.ContainsKey(runId);

    /// <summary>After a run stopped training here, its outcome stored (or the run handed back): the sweep coordinator
    /// wakes on it to propose the next trial at once. Handlers must not throw.</summary>
    public event Action<long>? Stopped;

    internal void Remove(ActiveRun run)
    {
        if (_active.TryRemove(new KeyValuePair<long, ActiveRun>(run.RunId, run))) Stopped?.Invoke(run.RunId);
    }

    public sealed class ActiveRun : IDisposable
    {
        private readonly CancellationTokenSource _cts;
        private readonly CancellationToken _stopping;
        private readonly RunRegistry _owner;
        private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal ActiveRun(long runId, CancellationToken stopping, RunRegistry owner)
        {
            RunId = runId;
            _stopping = stopping;
            _owner = owner;
            _cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        }

        public long RunId { get; }
        public CancellationToken Token => _cts.Token;
        /// <summary>The host is shutting down (as opposed to a user's cancel): the run stays <c>running</c> and resumes at the next start.</summary>
        public bool StoppedByShutdown => _stopping.IsCancellationRequested && !CancelledByUser && !LeaseLost;
        public bool CancelledByUser { get; private set; }
        /// <summary>Another worker owns the run now (this one's lease ran out): stop without writing anything.</summary>
        public bool LeaseLost { get; private set; }
        internal Task Stopped => _stopped.Task;

        public void Cancel()
        {
            CancelledByUser = true;
            Stop();
        }

        public void LoseLease()
        {
            LeaseLost = true;
            Stop();
        }

        private void Stop()
        {
            try { _cts.Cancel(); }
            catch (ObjectDisposedException) { } // finished meanwhile
        }

        public void Dispose()
        {
            _owner.Remove(this);
            _stopped.TrySetResult();
            _cts.Dispose();
        }
    }
}
