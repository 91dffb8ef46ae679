using System.Text.Json.Nodes;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Sweeps;

/// <summary><c>POST /api/sweeps</c>, in the words of W&amp;B's sweep configuration: a base spec, how to choose the
/// trials, the metric that ranks them and the spec paths to vary. Stored as accepted (the base's seed fixed, defaults
/// filled in) as the sweep's definition.</summary>
public sealed class SweepRequest
{
    public string? Name { get; set; }
    /// <summary>The spec every trial starts from; each trial sets the swept paths in it.</summary>
    public RunSpec? Base { get; set; }
    /// <summary>grid, random or bayes.</summary>
    public string? Method { get; set; }
    public SweepMetricRequest? Metric { get; set; }
    /// <summary>By spec path (<c>optimizer.learningRate</c>, <c>model.hidden</c>, <c>batchSize</c>): a values list or a distribution.</summary>
    public Dictionary<string, SweepParameterRequest?>? Parameters { get; set; }
    /// <summary>At most this many trials; required for random and bayes (a grid runs its product when unset).</summary>
    public int? RunCap { get; set; }
    /// <summary>Trials queued or running at once (default 1).</summary>
    public int? Parallel { get; set; }
    /// <summary>The sampler's seed (default: random, then shown).</summary>
    public long? Seed { get; set; }
    public SweepEarlyTerminate? EarlyTerminate { get; set; }
}

public sealed class SweepMetricRequest
{
    /// <summary>validationLoss, validationAccuracy, trainLoss, trainAccuracy, testLoss or testAccuracy.</summary>
    public string? Name { get; set; }
    /// <summary>minimize or maximize (default: maximize for accuracies, minimize for losses).</summary>
    public string? Goal { get; set; }
}

public sealed class SweepParameterRequest
{
    /// <summary>The values to choose from (numbers, strings, booleans or arrays such as [64, 64]).</summary>
    public List<JsonNode?>? Values { get; set; }
    /// <summary>uniform, log_uniform or int_uniform, between <see cref="Min"/> and <see cref="Max"/>.</summary>
    public string? Distribution { get; set; }
    public double? Min { get; set; }
    public double? Max { get; set; }
}

/// <summary>Hyperband (asynchronous successive halving): at epochs minEpochs, minEpochs·eta, … a trial continues only
/// while its metric is among the best 1/eta of the trials that reached that epoch.</summary>
public sealed class SweepEarlyTerminate
{
    /// <summary>hyperband.</summary>
    public string? Type { get; set; }
    public int? MinEpochs { get; set; }
    public int? Eta { get; set; }
}
