using TrainingService.Data;

namespace TrainingService.Api.Contracts;

/// <summary>
/// What other parts of the deployment must hear about: a run queued (wake a worker), a metric batch stored, a status
/// change (push to the hub), a cancel (stop the session wherever it trains). Declared here so the endpoints and the
/// worker raise events without knowing who acts on them: with SQLite everything happens in this process
/// (Live/LocalRunEvents); with PostgreSQL it goes through NOTIFY to every node (Live/PostgresRunEvents, received by
/// Live/PostgresListener).
/// </summary>
public interface IRunEvents
{
    Task QueuedAsync(long runId);

    /// <summary>Inside the pump's flush transaction, after its rows are written (a NOTIFY is delivered at commit,
    /// so a listener always finds the rows it is told about).</summary>
    Task BatchWrittenAsync(TrainingDbContext db, long runId, IReadOnlyList<StepPoint> steps, IReadOnlyList<EpochPoint> epochs);

    /// <summary>After the flush committed.</summary>
    Task BatchCommittedAsync(long runId, StepPoint[] steps, EpochPoint[] epochs);

    /// <summary>A decision grid computed during the flush's epochs (the last one). It goes to this process's hub only:
    /// on a split deployment the API node serves it over REST.</summary>
    Task BoundaryAsync(long runId, BoundaryPoint boundary);

    /// <summary>The regression view computed during the flush's epochs (the last one); this process's hub only, as
    /// <see cref="BoundaryAsync"/>.</summary>
    Task RegressionAsync(long runId, RegressionPoint fit);

    /// <summary>A convolutional run's first filters at one of the flush's epoch ends (each in turn); this process's hub
    /// only, as <see cref="BoundaryAsync"/>.</summary>
    Task FiltersAsync(long runId, FiltersPoint filters);

    /// <summary><paramref name="run"/>: the run as just written, when the caller has it (pushed as is where
    /// possible: a run just queued shows as queued even if a worker claimed it meanwhile).</summary>
    Task StatusChangedAsync(long runId, RunDto? run = null);

    Task CancelRequestedAsync(long runId);
}
