using System.Text;
using System.Text.Json;
using TrainingService.Api.Contracts;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Rollups;

/// <summary>
/// One bucket's figures while it fills (or while buckets are merged for a read): count, min, max, sum and last of the
/// loss and of the gradient norm, global and per layer; the last step's epoch, learning rate, time and counters.
/// Steps are added, and buckets merged, in step order.
/// </summary>
public sealed class RollupBucket(int level, long index)
{
    public int Level { get; } = level;
    public long Index { get; } = index;
    public long FirstStep { get; private set; }
    public long LastStep { get; private set; }
    public int Count { get; private set; }
    private int _epoch;
    private double _lossMin = double.PositiveInfinity, _lossMax = double.NegativeInfinity, _lossSum, _lossLast;
    private int _gradCount;
    private double _gradMin = double.PositiveInfinity, _gradMax = double.NegativeInfinity, _gradSum, _gradLast;
    private double[] _layerMin = [], _layerMax = [], _layerSum = [], _layerLast = [];
    private double _learningRate, _elapsedMs;
    private long? _lossEvaluations, _examplesSeen;

    public void Add(StepPoint s)
    {
        if (Count == 0) FirstStep = s.Step;
        LastStep = s.Step;
        Count++;
        _epoch = s.Epoch;
        // NaN compares false both ways: a NaN loss never displaces a finite extreme (as in the raw downsampler).
        if (s.Loss < _lossMin) _lossMin = s.Loss;
        if (s.Loss > _lossMax) _lossMax = s.Loss;
        _lossSum += s.Loss;
        _lossLast = s.Loss;
        if (s.GradNorm is { } g)
        {
            _gradCount++;
            _gradMin = Math.Min(_gradMin, g);
            _gradMax = Math.Max(_gradMax, g);
            _gradSum += g;
            _gradLast = g;
        }
        var layers = s.LayerGradNorms;
        if (layers.Length > _layerMin.Length) GrowLayers(layers.Length);
        for (int l = 0; l < layers.Length; l++)
        {
            _layerMin[l] = Math.Min(_layerMin[l], layers[l]);
            _layerMax[l] = Math.Max(_layerMax[l], layers[l]);
            _layerSum[l] += layers[l];
            _layerLast[l] = layers[l];
        }
        _learningRate = s.LearningRate;
        _elapsedMs = s.ElapsedMs;
        _lossEvaluations = s.LossEvaluations;
        _examplesSeen = s.ExamplesSeen;
    }

    /// <summary>Adds a later bucket's figures (its steps all follow this one's).</summary>
    public void Merge(RollupBucket later)
    {
        if (later.Count == 0) return;
        if (Count == 0) FirstStep = later.FirstStep;
        LastStep = later.LastStep;
        Count += later.Count;
        _epoch = later._epoch;
        _lossMin = Math.Min(_lossMin, later._lossMin);
        _lossMax = Math.Max(_lossMax, later._lossMax);
        _lossSum += later._lossSum;
        _lossLast = later._lossLast;
        if (later._gradCount > 0)
        {
            _gradCount += later._gradCount;
            _gradMin = Math.Min(_gradMin, later._gradMin);
            _gradMax = Math.Max(_gradMax, later._gradMax);
            _gradSum += later._gradSum;
            _gradLast = later._gradLast;
        }
        if (later._layerMin.Length > _layerMin.Length) GrowLayers(later._layerMin.Length);
        for (int l = 0; l < later._layerMin.Length; l++)
        {
            _layerMin[l] = Math.Min(_layerMin[l], later._layerMin[l]);
            _layerMax[l] = Math.Max(_layerMax[l], later._layerMax[l]);
            _layerSum[l] += later._layerSum[l];
            _layerLast[l] = later._layerLast[l];
        }
        _learningRate = later._learningRate;
        _elapsedMs = later._elapsedMs;
        _lossEvaluations = later._lossEvaluations;
        _examplesSeen = later._examplesSeen;
    }

    private void GrowLayers(int n)
    {
        int old = _layerMin.Length;
        Array.Resize(ref _layerMin, n);
        Array.Resize(ref _layerMax, n);
        Array.Resize(ref _layerSum, n);
        Array.Resize(ref _layerLast, n);
        for (int l = old; l < n; l++) { _layerMin[l] = double.PositiveInfinity; _layerMax[l] = double.NegativeInfinity; }
    }

    /// <summary>The bucket as one chart point: means for the line, at the bucket's last step, with its envelope.</summary>
    public StepPoint ToPoint()
    {
        double[] layerMean = new double[_layerSum.Length];
        for (int l = 0; l < layerMean.Length; l++) layerMean[l] = _layerSum[l] / Count;
        return new StepPoint(LastStep, _epoch, _lossSum / Count, _gradCount > 0 ? _gradSum / _gradCount : null, layerMean, _learningRate, _elapsedMs,
            null, _lossEvaluations, _examplesSeen)
        {
            Bucket = new StepBucket(FirstStep, LastStep, Count, _lossMin, _lossMax, _lossLast,
                _gradCount > 0 ? _gradMin : null, _gradCount > 0 ? _gradMax : null, (double[])_layerMin.Clone(), (double[])_layerMax.Clone()),
        };
    }

    public StepRollup ToEntity(long runId) => new()
    {
        RunId = runId, Level = Level, Bucket = Index, FirstStep = FirstStep, LastStep = LastStep, Count = Count, Epoch = _epoch,
        LossMin = _lossMin, LossMax = _lossMax, LossSum = _lossSum, LossLast = _lossLast,
        GradCount = _gradCount,
        GradNormMin = _gradCount > 0 ? _gradMin : null, GradNormMax = _gradCount > 0 ? _gradMax : null,
        GradNormSum = _gradCount > 0 ? _gradSum : null, GradNormLast = _gradCount > 0 ? _gradLast : null,
        LayerGradNorms = LayerJson(),
        LearningRate = _learningRate, ElapsedMs = _elapsedMs, LossEvaluations = _lossEvaluations, ExamplesSeen = _examplesSeen,
    };

    /// <summary><c>[[min, max, sum, last], …]</c> per layer, written by hand (a row per 16 steps is written, so this is on
    /// the pump's hot path); non-finite values as the named literals the reader accepts.</summary>
    private string LayerJson()
    {
        var sb = new StringBuilder(2 + _layerMin.Length * 80);
        sb.Append('[');
        for (int l = 0; l < _layerMin.Length; l++)
        {
            if (l > 0) sb.Append(',');
            sb.Append('[');
            NumberJson.Append(sb, _layerMin[l]); sb.Append(',');
            NumberJson.Append(sb, _layerMax[l]); sb.Append(',');
            NumberJson.Append(sb, _layerSum[l]); sb.Append(',');
            NumberJson.Append(sb, _layerLast[l]);
            sb.Append(']');
        }
        return sb.Append(']').ToString();
    }

    public static RollupBucket FromEntity(StepRollup r)
    {
        var layers = JsonSerializer.Deserialize<double[][]>(r.LayerGradNorms, RunSummary.JsonOptions) ?? [];
        var b = new RollupBucket(r.Level, r.Bucket)
        {
            FirstStep = r.FirstStep, LastStep = r.LastStep, Count = r.Count,
            _epoch = r.Epoch, _lossMin = r.LossMin, _lossMax = r.LossMax, _lossSum = r.LossSum, _lossLast = r.LossLast,
            _gradCount = r.GradCount,
            _gradMin = r.GradNormMin ?? double.PositiveInfinity, _gradMax = r.GradNormMax ?? double.NegativeInfinity,
            _gradSum = r.GradNormSum ?? 0, _gradLast = r.GradNormLast ?? 0,
            _layerMin = layers.Select(x => x[0]).ToArray(), _layerMax = layers.Select(x => x[1]).ToArray(),
            _layerSum = layers.Select(x => x[2]).ToArray(), _layerLast = layers.Select(x => x[3]).ToArray(),
            _learningRate = r.LearningRate, _elapsedMs = r.ElapsedMs, _lossEvaluations = r.LossEvaluations, _examplesSeen = r.ExamplesSeen,
        };
        return b;
    }

    /// <summary>A copy to merge into (for a read, or the next level's open bucket), as a bucket of <paramref name="level"/>.</summary>
    public RollupBucket CopyAs(int level, long index)
    {
        var copy = new RollupBucket(level, index);
        copy.Merge(this);
        return copy;
    }
}
