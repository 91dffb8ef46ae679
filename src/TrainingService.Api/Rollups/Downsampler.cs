using TrainingService.Api.Contracts;

namespace TrainingService.Api.Rollups;

/// <summary>
/// Thins a step series for charting: the steps are cut into <c>maxPoints / 2</c> equal buckets and each bucket keeps
/// its lowest- and highest-loss points (in step order), so spikes and dips survive where averaging would hide them.
/// The series always ends with its last point (the newest step), in place of the last bucket's second point if need be
/// (<see cref="MinMaxBuckets{T}"/>, which <see cref="EpochReader"/> feeds as it reads).
/// </summary>
public static class Downsampler
{
    public static IReadOnlyList<StepPoint> MinMax(IReadOnlyList<StepPoint> points, int maxPoints)
    {
        if (points.Count <= maxPoints) return points;
        var buckets = new MinMaxBuckets<StepPoint>(points.Count, maxPoints, p => p.Loss);
        foreach (var p in points) buckets.Add(p);
        return buckets.Finish();
    }
}
