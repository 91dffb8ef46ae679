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
    /// <summary>Called on the training thread after each epoch's metrics; false stops the run there. The gate has already
    /// stored why (the run's status and error), so the worker only stops it.</summary>
    bool Pass(EpochPoint epoch);
}
