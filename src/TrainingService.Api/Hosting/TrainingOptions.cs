using System.ComponentModel.DataAnnotations;

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

    /// <summary>Largest request body other than a CSV upload (specs, predictions).</summary>
    [Range(1, long.MaxValue)] public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest uploaded CSV, in data rows and in columns (target included).</summary>
    [Range(1, int.MaxValue)] public int MaxCsvRows { get; set; } = 1_000_000;
    [Range(2, int.MaxValue)] public int MaxCsvColumns { get; set; } = 4096;

    /// <summary>Queued (not yet started) runs one client may have, and all clients together.</summary>
    [Range(1, int.MaxValue)] public int MaxQueuedRunsPerClient { get; set; } = 100;
    [Range(1, int.MaxValue)] public int MaxQueuedRuns { get; set; } = 1000;

    /// <summary>Runs one hub connection may be subscribed to at once.</summary>
    [Range(1, 10_000)] public int MaxSubscriptionsPerConnection { get; set; } = 32;

    /// <summary>Live messages waiting for one hub connection; a connection that falls further behind is sent
    /// <c>resync</c> instead (reload from REST), so a slow client never slows the pump or training.</summary>
    [Range(2, 100_000)] public int LiveQueueCapacity { get; set; } = 256;

    /// <summary>Threads per engine kernel (the engine is bit-identical whatever the count).</summary>
    [Range(1, 256)] public int EngineThreads { get; set; } = 1;

    /// <summary>Largest CSV upload accepted.</summary>
    [Range(1, long.MaxValue)] public long MaxUploadBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>How often the metric pump stores a batch of steps (and pushes it live).</summary>
    [Range(1, 10_000)] public int FlushIntervalMs { get; set; } = 100;

    /// <summary>Run the hosted worker in this process (an API-only node sets it false).</summary>
    public bool WorkerEnabled { get; set; } = true;
}
