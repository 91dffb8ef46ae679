using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Contracts;

/// <summary>The hub message <c>boundary(runId, BoundaryPoint)</c>: the decision grid after <see cref="Epoch"/> epochs.</summary>
public sealed record BoundaryPoint(int Epoch, DecisionGrid Grid)
{
    /// <summary>What the worker computes live (at most once per flush) and REST serves by default: 40² forward rows,
    /// well under a millisecond for small nets.</summary>
    public const int LiveResolution = 40;

    public static BoundaryPoint Compute(TrainingSession session, (double, double, double, double) bounds, int resolution,
        CancellationToken cancellationToken = default) =>
        new(session.Epoch, DecisionBoundary.Compute(session.Network, session.ClassNames?.Length ?? 0, bounds, resolution, cancellationToken));
}
