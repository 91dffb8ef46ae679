namespace TrainingService.Api.Contracts;

/// <summary>
/// Something that may stop a run at an epoch end while it trains: a sweep's hyperband pruning (Sweeps/). Declared here
/// so the worker asks without knowing sweeps. Asked once when a run starts; most runs get null and pay nothing.
/// </summary>
public interface IEpochGates
{
    /// <summary>The gate for this run, or null when nothing watches its epochs.</summary>
    Task<IEpochGate?> ForRunAsync(long runId, CancellationToken ct);
}

public interface IEpochGate
{
    /// <summary>Called on the training thread after each epoch's metrics: null to go on, else why the run stops here. The
    /// worker then stops it and stores it as cancelled with this reason as its error (with its summary, as any outcome).</summary>
    string? Stop(EpochPoint epoch);
}
