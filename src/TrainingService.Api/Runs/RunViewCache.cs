using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Api.Worker;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Runs;

/// <summary>
/// Views computed from finished runs (loss landscapes, decision boundaries, regression views, filters, diagnostics), which no longer change: the answer per run and query, at
/// most <see cref="TrainingOptions.GridCacheEntries"/> of them, the least recently used dropped first. A key holds the
/// run's finish time, so a run deleted and an id reused never meet an old answer.
/// </summary>
public sealed class RunViewCache(IOptions<TrainingOptions> options)
{
    /// <summary>What one answer depends on: the view, the run (and when it finished), the query's values.</summary>
    public sealed record Key(string View, long RunId, DateTime FinishedAt, string Query);

    /// <summary>The key of <paramref name="view"/> of run <paramref name="id"/>, or null while the run may still change
    /// (not finished, or still held by this node's worker): such answers are computed each time.</summary>
    public static Key? KeyOf(string view, long id, string status, DateTime? finishedAt, RunRegistry registry, string query = "") =>
        RunStatus.IsFinished(status) && finishedAt is { } finished && !registry.IsActive(id) ? new Key(view, id, finished, query) : null;

    private readonly int _capacity = options.Value.GridCacheEntries;
    private readonly Dictionary<Key, LinkedListNode<(Key Key, object Value)>> _index = [];
    private readonly LinkedList<(Key Key, object Value)> _order = new(); // most recently used first
    private readonly Lock _gate = new();

    public int Count
    {
        get { lock (_gate) return _index.Count; }
    }

    public bool TryGet<T>(Key key, out T value) where T : class
    {
        lock (_gate)
        {
            if (_index.TryGetValue(key, out var node) && node.Value.Value is T found)
            {
                _order.Remove(node);
                _order.AddFirst(node);
                value = found;
                return true;
            }
        }
        value = null!;
        return false;
    }

    public void Set(Key key, object value)
    {
        if (_capacity == 0) return;
        lock (_gate)
        {
            if (_index.Remove(key, out var old)) _order.Remove(old);
            _index[key] = _order.AddFirst((key, value));
            while (_index.Count > _capacity)
            {
                _index.Remove(_order.Last!.Value.Key);
                _order.RemoveLast();
            }
        }
    }
}
