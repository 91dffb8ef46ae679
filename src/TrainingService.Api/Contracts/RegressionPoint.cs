using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Contracts;

/// <summary>The hub message <c>regression(runId, RegressionPoint)</c> and the answer of <c>GET /api/runs/{id}/regression</c>:
/// a 1-feature regressor's curve, its residuals on the shown training points and (for y = w·x + b) the loss along the
/// slope, after <see cref="Epoch"/> epochs.</summary>
public sealed record RegressionPoint(int Epoch, RegressionFit Fit)
{
    public static RegressionPoint Compute(TrainingSession session, (double, double) bounds) => new(session.Epoch, RegressionView.Compute(session, bounds));
}
