using System.Diagnostics;
using TrainingService.Api.Contracts;
using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Worker;

/// <summary>
/// The decision grid of a 2-D classifier at an epoch end, computed on the training thread between steps
/// (<see cref="BoundaryPoint.LiveResolution"/>² forward rows). Runs whose epochs take a fraction of a millisecond
/// would spend most of their time on it, so it is computed at most once per flush interval, and always at the last
/// epoch; REST serves the latest epoch's.
/// </summary>
internal sealed class BoundaryPolicy(TimeSpan flushInterval)
{
    private (double, double, double, double)? _bounds;
    private bool? _applies;
    private long? _atMs;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>This epoch end's grid, or null when none is due (or the run is not a 2-D classifier).</summary>
    public BoundaryPoint? At(TrainingSession session)
    {
        _applies ??= DecisionBoundary.Applies(session);
        if (_applies == false) return null;
        long now = _clock.ElapsedMilliseconds;
        if (now - _atMs < flushInterval.TotalMilliseconds && session.Epoch < session.Spec.Epochs) return null; // (no boundary yet: null, computed)
        _atMs = now;
        _bounds ??= DecisionBoundary.Bounds(session);
        return BoundaryPoint.Compute(session, _bounds.Value, BoundaryPoint.LiveResolution);
    }
}
