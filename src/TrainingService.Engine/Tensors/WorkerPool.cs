namespace TrainingService.Engine.Tensors;

/// <summary>
/// Persistent background threads that run the parts of one job alongside the calling thread.
/// Why not <c>Parallel.For</c>: a training step issues several small products back to back
/// (64×784×128 takes ~0.1 ms), and per-call task dispatch costs a large share of that. Workers
/// spin briefly after a job (the next product usually follows within microseconds), then block,
/// so an idle engine costs no CPU.
/// </summary>
/// <remarks>
/// Parts are handed out through a shared counter, so which thread runs which part varies from
/// call to call; callers must make each part's result independent of that (the GEMM does: a part
/// is a fixed block of output tiles). One job runs at a time: a caller that finds the pool busy
/// (another thread's product) runs all parts itself instead of waiting — same result, no deadlock; so does a part that
/// starts a pass of its own.
/// </remarks>
internal sealed class WorkerPool
{
    /// <summary>A unit of parallel work: <see cref="Run"/> is called once for each part index.</summary>
    internal abstract class Job
    {
        public abstract void Run(int part);
    }

    /// <summary>How many times an idle worker polls for a new job before it blocks (≈ 50–100 µs).</summary>
    private const int SpinIterations = 2000;

    public static WorkerPool Shared { get; } = new();

    private readonly object _dispatchGate = new();
    private readonly object _growGate = new();
    private Worker[] _workers = [];

    // State of the job being dispatched; written only by the dispatcher while it holds
    // _dispatchGate, and only after every worker it involved in the previous job has checked out.
    private int _nextPart;      // next part index to claim
    private int _checkedIn;     // involved workers that have not yet finished with the current job

    /// <summary>A worker's mailbox: the dispatcher writes Job/Parts, then bumps Generation.</summary>
    private sealed class Worker
    {
        public readonly ManualResetEventSlim Wake = new(false);
        public Job? Job;
        public int Parts;
        public int Generation;
        public int Sleeping;
    }

    /// <summary>1, 2, … on the pool's worker threads; 0 on every other thread.</summary>
    [ThreadStatic] private static int _currentWorker;

    public static int CurrentWorker => _currentWorker;

    public int WorkerCount => Volatile.Read(ref _workers).Length;

    /// <summary>Jobs handed to workers so far (for tests: Threads = 1 must never dispatch).</summary>
    public long Dispatches => Interlocked.Read(ref _dispatches);

    private long _dispatches;

    /// <summary>
    /// Runs <paramref name="job"/> for parts 0..<paramref name="parts"/>-1 using the caller and at
    /// most <paramref name="threads"/>-1 workers, and returns when every part has finished.
    /// </summary>
    public void Run(Job job, int parts, int threads)
    {
        if (parts <= 0) return;
        int helpers = Math.Min(threads, parts) - 1;
        // A pass started from inside a part runs on its own thread: the gate is re-entrant, and the dispatcher's job
        // state is in use.
        if (helpers <= 0 || Monitor.IsEntered(_dispatchGate) || !Monitor.TryEnter(_dispatchGate))
        {
            for (int p = 0; p < parts; p++) job.Run(p);
            return;
        }
        try
        {
            Worker[] workers = EnsureWorkers(helpers);
            Interlocked.Increment(ref _dispatches);
            _nextPart = 0;
            Volatile.Write(ref _checkedIn, helpers);
            for (int w = 0; w < helpers; w++)
            {
                Worker worker = workers[w];
                worker.Job = job;
                worker.Parts = parts;
                Interlocked.Increment(ref worker.Generation); // full fence: Job/Parts visible first
                if (Volatile.Read(ref worker.Sleeping) == 1) worker.Wake.Set();
            }

            RunParts(job, parts);
            // Wait for the helpers to check out, not just for the parts to finish: a helper that woke
            // late must be done with this job's mailbox and counter before the next job reuses them.
            var spin = new SpinWait();
            while (Volatile.Read(ref _checkedIn) != 0) spin.SpinOnce(sleep1Threshold: -1);
            for (int w = 0; w < helpers; w++) workers[w].Job = null;
        }
        finally
        {
            Monitor.Exit(_dispatchGate);
        }
    }

    private void RunParts(Job job, int parts)
    {
        int p;
        while ((p = Interlocked.Increment(ref _nextPart) - 1) < parts) job.Run(p);
    }

    private Worker[] EnsureWorkers(int count)
    {
        Worker[] current = _workers;
        if (current.Length >= count) return current;
        lock (_growGate)
        {
            current = _workers;
            if (current.Length >= count) return current;
            var grown = new Worker[count];
            Array.Copy(current, grown, current.Length);
            for (int w = current.Length; w < count; w++)
            {
                var worker = grown[w] = new Worker();
                int index = w + 1;
                var thread = new Thread(() => { _currentWorker = index; Loop(worker); })
                {
                    IsBackground = true,
                    Name = $"Kernels worker {w + 1}",
                };
                thread.Start();
            }
            Volatile.Write(ref _workers, grown);
            return grown;
        }
    }

    private void Loop(Worker self)
    {
        int seen = 0;
        while (true)
        {
            seen = WaitForNewGeneration(self, seen);
            Job job = Volatile.Read(ref self.Job)!;
            try { RunParts(job, self.Parts); }
            finally { Interlocked.Decrement(ref _checkedIn); }
        }
    }

    private static int WaitForNewGeneration(Worker self, int seen)
    {
        while (true)
        {
            for (int i = 0; i < SpinIterations; i++)
            {
                int gen = Volatile.Read(ref self.Generation);
                if (gen != seen) return gen;
                Thread.SpinWait(20);
                if ((i & 63) == 63) Thread.Yield();
            }
            // Announce sleep, then re-check: the dispatcher bumps Generation before it reads
            // Sleeping, so one of the two always sees the other.
            Interlocked.Exchange(ref self.Sleeping, 1);
            if (Volatile.Read(ref self.Generation) == seen) self.Wake.Wait();
            self.Wake.Reset();
            Volatile.Write(ref self.Sleeping, 0);
        }
    }
}
