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

    /// <summary>When set, POST/PUT/PATCH/DELETE under /api need the header <c>X-Api-Key</c> with this value.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Threads per engine kernel (the engine is bit-identical whatever the count).</summary>
    [Range(1, 256)] public int EngineThreads { get; set; } = 1;

    /// <summary>Largest CSV upload accepted.</summary>
    [Range(1, long.MaxValue)] public long MaxUploadBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>How often the metric pump stores a batch of steps (and pushes it live).</summary>
    [Range(1, 10_000)] public int FlushIntervalMs { get; set; } = 100;

    /// <summary>Run the hosted worker in this process (an API-only node sets it false).</summary>
    public bool WorkerEnabled { get; set; } = true;
}
