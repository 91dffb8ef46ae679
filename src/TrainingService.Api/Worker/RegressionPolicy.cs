using System.Diagnostics;
using TrainingService.Api.Contracts;
using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Worker;

/// <summary>
/// The regression view of a 1-feature regressor at an epoch end, computed on the training thread between steps (a few
/// hundred forward rows, and a hundred passes over at most 200 points for a line). Like the decision grid
/// (<see cref="BoundaryPolicy"/>) at most once per flush interval, since a flush publishes only its last one, and always
/// at the last epoch.
/// </summary>
internal sealed class RegressionPolicy(TimeSpan flushInterval)
{
    private (double, double)? _bounds;
    private bool? _applies;
    private long? _atMs;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>This epoch end's view, or null when none is due (or the run is not a 1-feature regression).</summary>
    public RegressionPoint? At(TrainingSession session)
    {
        _applies ??= RegressionView.Applies(session);
        if (_applies == false) return null;
        long now = _clock.ElapsedMilliseconds;
        if (now - _atMs < flushInterval.TotalMilliseconds && session.Epoch < session.Spec.Epochs) return null; // (none yet: null, computed)
        _atMs = now;
        _bounds ??= RegressionView.Bounds(session);
        return RegressionPoint.Compute(session, _bounds.Value);
    }
}
