namespace TrainingService.Data.Entities;

/// <summary>One training job. The spec is stored resolved (every default filled in, seed included) so a resume
/// rebuilds the identical session; spec and summary are JSON text owned by the engine's types.</summary>
public sealed class Run
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>One of <see cref="RunStatus"/>.</summary>
    public required string Status { get; set; }
    public required string SpecJson { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>Epoch of the last stored step (epochs completed once the epoch's metrics are stored).</summary>
    public int Epoch { get; set; }
    public long Step { get; set; }
    public long TotalSteps { get; set; }
    /// <summary>About how many bytes the run's stored metrics take (step rows, rollups and epochs as written; added by the
    /// StepRollups migration, 0 for runs stored before).</summary>
    public long StorageBytes { get; set; }
    /// <summary>Past this step the run's raw step rows are thinned (one per 16 steps; the rollups stay exact): the
    /// <c>Training__MaxStoredStepsPerRun</c> in force when it got there. Null while every step is stored.</summary>
    public long? RawStepsThinnedAfter { get; set; }
    /// <summary>The user's notes on the run, edited with <c>PATCH /api/runs/{id}</c> (AddRunNotes migration); null when none.</summary>
    public string? Notes { get; set; }
    public const int MaxNotesLength = 10_000;
    public string? SummaryJson { get; set; }
    public string? Error { get; set; }
    /// <summary>The optimizer race this run belongs to, if any (Races migration). A plain indexed column: races are never
    /// deleted, and a run deleted from a race simply leaves it.</summary>
    public long? RaceId { get; set; }
    /// <summary>The worker training the run (<c>Training__WorkerId</c>), set by each claim; added by the Leases migration.</summary>
    public string? LeaseOwner { get; set; }
    /// <summary>When the owner's claim lapses unless its heartbeat renews it; another worker then resumes the run.</summary>
    public DateTime? LeaseExpiresAt { get; set; }
    /// <summary>How many times a worker claimed the run (1 for a run trained once; each resume adds one).</summary>
    public int Attempts { get; set; }

    public List<RunTag> Tags { get; set; } = [];
}

/// <summary>An optimizer race: runs created together from one base spec, with identical data, initial weights and batch order.</summary>
public sealed class Race
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A run's tag, in its own table so the list can filter by tag with an index.</summary>
public sealed class RunTag
{
    public long RunId { get; set; }
    public required string Tag { get; set; }
}

public static class RunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Diverged = "diverged";

    public static readonly string[] All = [Queued, Running, Succeeded, Failed, Cancelled, Diverged];

    public static bool IsFinished(string status) => status is Succeeded or Failed or Cancelled or Diverged;
}
