using TrainingService.Api.Contracts;

namespace TrainingService.Api.Rollups;

/// <summary>
/// Thins a step series for charting: the steps are cut into <c>maxPoints / 2</c> equal buckets and each bucket keeps
/// its lowest- and highest-loss points (in step order), so spikes and dips survive where averaging would hide them.
/// The series always ends with its last point (the newest step), in place of the last bucket's second point if need be.
/// </summary>
public static class Downsampler
{
    public static IReadOnlyList<StepPoint> MinMax(IReadOnlyList<StepPoint> points, int maxPoints)
    {
        if (points.Count <= maxPoints) return points;
        int buckets = Math.Max(1, maxPoints / 2);
        var kept = new List<StepPoint>(buckets * 2);
        for (int b = 0; b < buckets; b++)
        {
            int start = (int)((long)points.Count * b / buckets), end = (int)((long)points.Count * (b + 1) / buckets);
            if (start >= end) continue;
            int lo = start, hi = start;
            for (int i = start + 1; i < end; i++)
            {
                // NaN never wins a comparison, so a non-finite loss cannot hide the bucket's real extremes.
                if (points[i].Loss < points[lo].Loss) lo = i;
                if (points[i].Loss > points[hi].Loss) hi = i;
            }
            kept.Add(points[Math.Min(lo, hi)]);
            if (lo != hi) kept.Add(points[Math.Max(lo, hi)]);
        }
        if (!ReferenceEquals(kept[^1], points[^1]))
        {
            if (kept.Count >= maxPoints) kept.RemoveAt(kept.Count - 1);
            kept.Add(points[^1]);
        }
        return kept;
    }
}
