using System.ComponentModel.DataAnnotations;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Hosting;

/// <summary>The <c>Training</c> configuration section (env vars <c>Training__DataDirectory</c> and so on).</summary>
public sealed class TrainingOptions
{
    public const string Section = "Training";

    /// <summary>MNIST IDX files, CSVs, <c>uploads/</c> and (by default) the SQLite database. Relative paths are
    /// resolved against the content root; the directory is created at start.</summary>
    [Required] public string DataDirectory { get; set; } = "./data";

    /// <summary>Runs trained at the same time.</summary>
    [Range(1, 64)] public int WorkerConcurrency { get; set; } = 1;

    /// <summary>When set, every mutating request (any method but GET/HEAD/OPTIONS) and the hub need this key: header
    /// <c>X-Api-Key</c> (or <c>Authorization: Bearer</c>; the hub also takes <c>access_token</c> in the query).</summary>
    public string? ApiKey { get; set; }

    /// <summary>With an <see cref="ApiKey"/>, GET/HEAD under /api need it too (the dashboard's files, /healthz and
    /// /readyz stay open).</summary>
    public bool ProtectReads { get; set; }

    /// <summary>Without an <see cref="ApiKey"/> the service listens on loopback only, unless URLs are given
    /// explicitly (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>Kestrel:Endpoints</c>) or this is true.</summary>
    public bool AllowRemoteWithoutKey { get; set; }

    /// <summary>Mutating requests a client (its API key, else its IP address) may make per
    /// <see cref="RateLimitWindowSeconds"/>; 0 turns rate limiting off.</summary>
    [Range(0, 1_000_000)] public int RateLimitPermits { get; set; } = 120;

    [Range(1, 3600)] public int RateLimitWindowSeconds { get; set; } = 60;

    /// <summary>Expensive reads (loss landscape, decision boundary, regression view, metrics CSV) a client may make per
    /// <see cref="RateLimitWindowSeconds"/>, counted apart from the mutating requests; 0 turns this limit off.</summary>
    [Range(0, 1_000_000)] public int ReadRateLimitPermits { get; set; } = 60;

    /// <summary>Most work one loss-landscape or decision-boundary request may do: grid points × rows evaluated per point
    /// (the training set for a landscape, one for a boundary) × the model's parameters. The default allows resolution 31
    /// on a million training rows (a few seconds here); beyond: 400 naming <c>resolution</c>.</summary>
    [Range(1, long.MaxValue)] public long MaxGridCost { get; set; } = 2_000_000_000;

    /// <summary>Landscapes and boundaries of finished runs kept in memory, per run and query.</summary>
    [Range(0, 10_000)] public int GridCacheEntries { get; set; } = 32;

    /// <summary>Largest request body other than a CSV upload (specs, predictions).</summary>
    [Range(1, long.MaxValue)] public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Memory one run may need by the engine's estimate (<c>RunCost</c>: weights, optimizer state, batch
    /// buffers, data, checkpoints, gradient-check copies, search populations); a spec over it is refused with 400
    /// naming the field most responsible. 0 = not checked.</summary>
    [Range(0, int.MaxValue)] public int MaxRunMemoryMB { get; set; } = 4096;

    /// <summary>GFLOP the costliest step of a run may need by the same estimate (forward and backward passes, numerical
    /// gradients, the gradient check, search populations). 0 = not checked.</summary>
    [Range(0, double.MaxValue)] public double MaxStepGFlop { get; set; } = 1000;

    /// <summary>The engine's limits for a submitted spec: its defaults plus the two cost limits above.</summary>
    public SpecLimits SubmissionLimits() => new()
    {
        MaxRunMemoryBytes = MaxRunMemoryMB == 0 ? null : MaxRunMemoryMB * 1024L * 1024,
        MaxStepFlops = MaxStepGFlop == 0 ? null : MaxStepGFlop * 1e9,
        MemoryLimitName = $"{Section}__{nameof(MaxRunMemoryMB)}",
        FlopLimitName = $"{Section}__{nameof(MaxStepGFlop)}",
    };

    /// <summary>Largest uploaded CSV, in data rows and in columns (target included).</summary>
    [Range(1, int.MaxValue)] public int MaxCsvRows { get; set; } = 1_000_000;
    [Range(2, int.MaxValue)] public int MaxCsvColumns { get; set; } = 4096;

    /// <summary>Queued (not yet started) runs one client may have, and all clients together.</summary>
    [Range(1, int.MaxValue)] public int MaxQueuedRunsPerClient { get; set; } = 100;
    [Range(1, int.MaxValue)] public int MaxQueuedRuns { get; set; } = 1000;

    /// <summary>Most trials one sweep may run: its <c>runCap</c>, or a grid's product when it has none.</summary>
    [Range(1, 100_000)] public int MaxSweepTrials { get; set; } = 1000;

    /// <summary>Runs one hub connection may be subscribed to at once.</summary>
    [Range(1, 10_000)] public int MaxSubscriptionsPerConnection { get; set; } = 32;

    /// <summary>Live messages waiting for one hub connection; a connection that falls further behind is sent
    /// <c>resync</c> instead (reload from REST), so a slow client never slows the pump or training.</summary>
    [Range(2, 100_000)] public int LiveQueueCapacity { get; set; } = 256;

    /// <summary>Threads per engine kernel (the engine is bit-identical whatever the count).</summary>
    [Range(1, 256)] public int EngineThreads { get; set; } = 1;

    /// <summary>Largest CSV upload accepted.</summary>
    [Range(1, long.MaxValue)] public long MaxUploadBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Largest image-folder upload (a <c>.zip</c>) accepted, as sent.</summary>
    [Range(1, long.MaxValue)] public long MaxImageZipBytes { get; set; } = 200 * 1024 * 1024;

    /// <summary>Most bytes the zip's files may expand to (their sizes as the archive declares them; a file holding more
    /// than it declares is refused too), so a small zip cannot unpack into gigabytes.</summary>
    [Range(1, long.MaxValue)] public long MaxImageZipExpandedBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Most images in one zip.</summary>
    [Range(1, int.MaxValue)] public int MaxImageFiles { get; set; } = 60_000;

    /// <summary>Most pixels (width × height) of one image in a zip or sent to predict, checked from its header before it
    /// is decoded.</summary>
    [Range(1, long.MaxValue)] public long MaxImagePixels { get; set; } = 40_000_000;

    /// <summary>Most bytes of an image set once resized (images × channels × height × width): the size of the stored set,
    /// which the database holds too; a run holds 4 bytes per pixel in memory.</summary>
    [Range(1, long.MaxValue)] public long MaxImageSetBytes { get; set; } = 200 * 1024 * 1024;

    /// <summary>Raw step rows stored per run in full; past this step one row in 16 is kept (each finest rollup bucket's
    /// last step, epoch ends), while the rollups stay exact. About 150 bytes a row: the default caps a run near 750 MB.</summary>
    [Range(1000, long.MaxValue)] public long MaxStoredStepsPerRun { get; set; } = 5_000_000;

    /// <summary>How often the metric pump stores a batch of steps (and pushes it live).</summary>
    [Range(1, 10_000)] public int FlushIntervalMs { get; set; } = 100;

    /// <summary>Least time between two stored checkpoints of a run (an epoch end writes one only when this much time has
    /// passed since the last; the first and last epoch always do). A crash or SIGKILL loses at most about this much
    /// training, which the resume redoes bit-identically. 0 = every epoch: runs of many short epochs then spend their
    /// time serializing and storing optimizer state.</summary>
    [Range(0, 3_600_000)] public int CheckpointIntervalMs { get; set; } = 2_000;

    /// <summary>What this process does: <c>all</c> (HTTP, hub and training), <c>api</c> (HTTP and hub, no worker
    /// slots) or <c>worker</c> (training, plus /healthz and /readyz).</summary>
    [RegularExpression("^(all|api|worker)$", ErrorMessage = "Training:Role must be all, api or worker")]
    public string Role { get; set; } = "all";

    /// <summary>Kept from before roles: <c>false</c> is the same as <c>Role=api</c>.</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary><c>sqlite</c> or <c>postgres</c>; empty = detected from the connection string (<c>Host=</c> means
    /// PostgreSQL, anything else SQLite).</summary>
    [RegularExpression("^(|sqlite|postgres)$", ErrorMessage = "Training:Database must be sqlite or postgres")]
    public string Database { get; set; } = "";

    /// <summary>This worker's name in the runs it leases; default host name, process id and a random suffix
    /// (containers all run as pid 1, and a restarted process must not inherit its predecessor's leases).</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>How long a claim holds without a heartbeat; a worker that dies loses its runs after this long.</summary>
    [Range(2, 3600)] public int LeaseSeconds { get; set; } = 15;

    /// <summary>How often a training worker renews its leases (well under <see cref="LeaseSeconds"/>).</summary>
    [Range(1, 600)] public int HeartbeatSeconds { get; set; } = 3;

    /// <summary>How long the worker retries a database that fails with transient errors (SQLite locked or full,
    /// PostgreSQL restarting, a connection reset) before it stops training the run and hands it back: the run stays
    /// <c>running</c> and resumes from its checkpoint once the database is back. Never a reason to fail a run.</summary>
    [Range(1, 86_400)] public int StoreOutageSeconds { get; set; } = 60;

    /// <summary>This process trains runs.</summary>
    public bool Trains => WorkerEnabled && Role is "all" or "worker";

    /// <summary>This process serves the REST API, the hub and the dashboard.</summary>
    public bool ServesApi => Role is "all" or "api";
}
