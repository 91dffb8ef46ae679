namespace TrainingService.Data.Entities;

/// <summary>A hyperparameter sweep (Sweeps migration): a base spec, the parameters to vary and how to choose them. Its
/// trials are ordinary runs (<see cref="SweepTrial"/>). Everything the coordinator needs is here, so any instance picks
/// a sweep up after a restart.</summary>
public sealed class Sweep
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The definition as accepted (base spec with its seed fixed, metric, parameters, early termination), JSON
    /// owned by the service's sweep request type.</summary>
    public required string DefinitionJson { get; set; }
    /// <summary>grid, random or bayes.</summary>
    public required string Method { get; set; }
    /// <summary>The run metric compared (validationLoss, validationAccuracy, trainLoss, …).</summary>
    public required string Metric { get; set; }
    /// <summary>minimize or maximize.</summary>
    public required string Goal { get; set; }
    /// <summary>The sampler's seed (random and bayes; also every trial's run seed comes from the base spec).</summary>
    public long Seed { get; set; }
    /// <summary>At most this many trials (null: a grid's product).</summary>
    public int? RunCap { get; set; }
    /// <summary>At most this many trials queued or running at once.</summary>
    public int Parallel { get; set; }
    /// <summary>Hyperband early termination as JSON (<c>{ type, minEpochs, eta }</c>), or null.</summary>
    public string? EarlyTerminateJson { get; set; }
    /// <summary>One of <see cref="SweepState"/>.</summary>
    public required string State { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

/// <summary>One trial of a sweep: the run it created and the parameter values it was given. Keyed by (SweepId, Index),
/// so an index is created once however many instances propose it at the same time (the loser's insert fails and its
/// run is rolled back with it).</summary>
public sealed class SweepTrial
{
    public long SweepId { get; set; }
    public int Index { get; set; }
    public long RunId { get; set; }
    /// <summary>The values set in the base spec, as a JSON object by spec path.</summary>
    public required string ParametersJson { get; set; }
    /// <summary>The rung epoch at which hyperband stopped the trial (its run is then cancelled with the reason), or null.</summary>
    public int? PrunedAtEpoch { get; set; }
    /// <summary>The last rung epoch decided for this trial (0: none yet): each rung is decided once, also when a
    /// resumed run passes it again.</summary>
    public int RungEpoch { get; set; }
}

public static class SweepState
{
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Cancelled = "cancelled";
}
