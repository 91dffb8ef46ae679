namespace TrainingService.Api.Worker;

/// <summary>Whether the worker's database writes are failing right now (for /readyz): set by a transient failure,
/// cleared by the next write that succeeds.</summary>
public sealed class StoreHealth
{
    private volatile Exception? _failure;

    /// <summary>Why the latest write failed, when no write has succeeded since.</summary>
    public Exception? Failure => _failure;

    internal void WriteFailed(Exception e) => _failure = e;
    internal void WriteSucceeded() => _failure = null;
}
