namespace TrainingService.Api.Rollups;

/// <summary>
/// Min/max thinning fed one item at a time, so a series can be thinned as it is read (<see cref="EpochReader"/>) or
/// from a list (<see cref="Downsampler"/>): the <c>count</c> items are cut into <c>maxPoints / 2</c> equal buckets,
/// each keeping its lowest- and highest-keyed item (the first of equals; in order), and the series always ends with its
/// last item, in place of the last bucket's second if need be. Items past <c>count</c> (a series that grew while it
/// was read) join the last bucket. Holds at most <c>maxPoints + 1</c> items.
/// </summary>
public sealed class MinMaxBuckets<T>(long count, int maxPoints, Func<T, double> key) where T : class
{
    private readonly int _buckets = Math.Max(1, maxPoints / 2);
    private readonly List<T> _kept = new(maxPoints + 1);
    private T? _lo, _hi, _last;
    private long _loAt, _hiAt, _index, _end = count / Math.Max(1, maxPoints / 2);
    private int _bucket;

    public void Add(T item)
    {
        while (_index >= _end && _bucket < _buckets - 1)
        {
            Keep();
            _bucket++;
            _end = count * (_bucket + 1) / _buckets;
        }
        // NaN never wins a comparison, so a non-finite key cannot hide the bucket's real extremes.
        double k = key(item);
        if (_lo is null || k < key(_lo)) (_lo, _loAt) = (item, _index);
        if (_hi is null || k > key(_hi)) (_hi, _hiAt) = (item, _index);
        _last = item;
        _index++;
    }

    /// <summary>The kept items, in order.</summary>
    public List<T> Finish()
    {
        Keep();
        if (_last is not null && (_kept.Count == 0 || !ReferenceEquals(_kept[^1], _last)))
        {
            if (_kept.Count >= maxPoints) _kept.RemoveAt(_kept.Count - 1);
            _kept.Add(_last);
        }
        return _kept;
    }

    private void Keep()
    {
        if (_lo is null || _hi is null) return;
        _kept.Add(_loAt <= _hiAt ? _lo : _hi);
        if (!ReferenceEquals(_lo, _hi)) _kept.Add(_loAt <= _hiAt ? _hi : _lo);
        _lo = _hi = null;
    }
}
