using System.Globalization;
using TrainingService.Engine.Data;
using TrainingService.Engine.Gradients;
using TrainingService.Engine.Losses;

namespace TrainingService.Engine.Training;

/// <summary>
/// What a run will cost, known before anything is allocated: the memory it holds at its peak and the floating-point
/// operations of its costliest step (the first, when a gradient check runs), from the filled-in spec and the
/// dataset's shape. Each total is a sum of parts, each charged to the spec field that drives it, so a refusal can
/// name the field to change.
/// <para>
/// With P parameters, layers l of kₗ inputs and nₗ outputs (W = Σnₗ units; with <c>model.layers</c>, kₗnₗ is a layer's
/// multiply-adds per row — a convolution's positions × filters × C·kh·kw — W sums every layer's output size, S is the
/// convolutions' column matrices per row, added to the batch and evaluation buffers, and the network's parts are
/// charged to model.layers), B rows per step, N dataset rows of F
/// features and Y target values, T encoded target values per row, 4-byte floats, and a multiply-add counted as
/// 2 FLOPs, so that one row's forward pass is f = 2·Σkₗnₗ and its backward pass b = 2·Σkₗnₗ (dW) + 2·Σ_{l≥1}kₗnₗ (dH)
/// (element-wise work — bias, activation, loss, update — is O(B·W + P) and not counted):
/// </para>
/// <code>
/// memory                                       bytes
///   network weights, gradients   model.hidden  8P
///   optimizer state              optimizer.type 4P·slots (momentum 1, Adam 2, …)
///   checkpoints                  model.hidden  3·4P·(1 + slots): the copy, the stream serializing it, the bytes
///                                              (a search: 3·4P·(1 + vectors), under its own field)
///   batch buffers                batchSize     4·(6BW + BF + BT + B): Z, A, dZ, dA to train, Z, A to evaluate, x, t, labels
///   evaluation buffers           model.hidden  4·768·(2W + F): the evaluator's 512-row and the saturation probe's 256-row chunks
///   data                         dataset.*     4N·(F + Y)·(2 + standardize) + 4N·(1 + T) if classes + 4·trainRows:
///                                              the loaded table, its splits (and their standardized copy), labels and
///                                              encoded targets, the shuffle order
///   gradient check               gradientCheck 8P + 8BF + 4BT + 16BW: float64 weights, batch and activations
///   best weights                 earlyStopping.restoreBestWeights 4P·(1 + 3): the copy kept, and in checkpoints
///   search vectors               optimizer.*   random_search 12P, hill_climbing 8P, genetic 4P·(2 + 2·pop) + 12·pop
/// FLOPs per step
///   backprop                     batchSize     B·(f + b)
///   numerical gradient           gradient      2P·B·f (plus B·f for the loss, under batchSize)
///   gradient check (first step)  gradientCheck 2E·B·f, E = Σ over tensors of min(size, 200) entries checked
///   search                       optimizer.*   (1 + candidates)·B·f, 2·B·f (hill climbing) or pop·B·f; plus B·f for
///                                              the accuracy of a classifier
/// </code>
/// </summary>
public sealed class RunCost
{
    private RunCost(List<CostPart> memory, List<CostPart> flops) => (Memory, Flops) = (memory, flops);

    /// <summary>Bytes, by part.</summary>
    public IReadOnlyList<CostPart> Memory { get; }
    /// <summary>FLOPs of the costliest step, by part.</summary>
    public IReadOnlyList<CostPart> Flops { get; }
    public double MemoryBytes => Memory.Sum(p => p.Amount);
    public double StepFlops => Flops.Sum(p => p.Amount);

    /// <summary>The estimate for a filled-in spec (<see cref="SpecDefaults.Resolve"/>) on <paramref name="data"/>.</summary>
    public static RunCost Estimate(RunSpec spec, Dataset data)
    {
        string loss = spec.Loss!;
        int outputs = SpecDefaults.OutputSize(loss, data);
        double F = data.Features, N = data.Count, W, S = 0;
        double macs = 0, macsAbove0 = 0, P = 0, checkedEntries = 0;
        string net = spec.Model!.Layers is null ? "model.hidden" : "model.layers";
        if (spec.Model.Layers is { } layers)
        {
            // Each layer's multiply-adds (a convolution's are positions × filters × C·kh·kw), its output width and the
            // convolutions' column matrices (S floats per row) from the planned shapes.
            var plans = LayerStack.Plan(data.Shape, layers, outputs);
            W = plans.Sum(p => (double)p.Output.Size);
            bool first = true;
            foreach (var p in plans)
            {
                macs += p.Macs;
                S += p.Scratch;
                if (p.Parameters == 0) continue;
                if (!first) macsAbove0 += p.Macs;
                first = false;
                P += p.Parameters;
                checkedEntries += Math.Min(p.Parameters, 2 * GradientCheck.MaxEntriesPerTensor);
            }
        }
        else
        {
            var widths = new List<int>(spec.Model.Hidden!) { outputs };
            W = widths.Sum(w => (double)w);
            int inputs = data.Features;
            for (int l = 0; l < widths.Count; l++)
            {
                double kn = (double)inputs * widths[l];
                macs += kn;
                if (l > 0) macsAbove0 += kn;
                P += kn + widths[l];
                checkedEntries += Math.Min(kn, GradientCheck.MaxEntriesPerTensor) + Math.Min(widths[l], GradientCheck.MaxEntriesPerTensor);
                inputs = widths[l];
            }
        }
        double f = 2 * macs, b = 2 * macs + 2 * macsAbove0;

        int trainRows = TrainRows(spec, data.Count);
        double B = spec.BatchSize == 0 ? trainRows : Math.Min(spec.BatchSize!.Value, trainRows);
        int lossWidth = Loss.Create(loss).TargetWidth(outputs);
        double T = data.IsClassification ? (lossWidth == 1 ? 1 : outputs) : lossWidth;
        string type = spec.Optimizer!.Type!;
        bool search = SpecVocabulary.IsGradientFree(type);
        bool numerical = !search && spec.Gradient == "numerical";
        bool check = !search && !numerical && spec.GradientCheck == true && TestFunctions.Surfaces.Find(spec.Dataset!.Name!) is null;
        int pop = spec.Optimizer.PopulationSize ?? 0, candidates = spec.Optimizer.Candidates ?? 0;
        string searchField = type switch { "genetic" => "optimizer.populationSize", "random_search" => "optimizer.candidates", _ => "optimizer.type" };
        string dataField = SyntheticDatasets.Find(data.Name) is not null ? "dataset.samples" : "dataset.name";

        var memory = new List<CostPart>
        {
            new(net, $"the network's {P:N0} weights and their gradients", 8 * P),
            new("batchSize", $"the batch's activations ({B:N0} rows × {W:N0} units)", 4 * (6 * B * W + B * F + B * T + B + B * S)),
            new(net, "evaluation buffers", 4 * 768 * (2 * W + F + S)),
            new(dataField, $"the dataset ({N:N0} rows × {F:N0} features)",
                4 * N * (F + data.TargetWidth) * (2 + (spec.Dataset!.Standardize == true ? 1 : 0)) + (data.IsClassification ? 4 * N * (1 + T) : 0) + 4.0 * trainRows),
        };
        if (search)
        {
            double vectors = type == "genetic" ? pop + 1 : 1;
            memory.Add(new(searchField, "checkpoints of the search state", 3 * 4 * P * (1 + vectors)));
            memory.Add(type switch
            {
                "genetic" => new(searchField, $"the population ({pop:N0} individuals × {P:N0} weights, and their children)", 4 * P * (2 + 2.0 * pop) + 12.0 * pop),
                "random_search" => new(searchField, "the search's weight vectors", 12 * P),
                _ => new(searchField, "the search's weight vectors", 8 * P),
            });
        }
        else
        {
            int slots = OptimizerFactory.Create(spec.Optimizer).SlotsPerParameter;
            memory.Add(new("optimizer.type", $"{type}'s state ({slots} per weight)", 4 * P * slots));
            memory.Add(new(net, "checkpoints of the weights and optimizer state", 3 * 4 * P * (1 + slots)));
        }
        if (check) memory.Add(new("gradientCheck", "the gradient check's float64 copies", 8 * P + 8 * B * F + 4 * B * T + 16 * B * W));
        if (spec.EarlyStopping?.RestoreBestWeights == true)
            memory.Add(new("earlyStopping.restoreBestWeights", "the best epoch's weights (kept, and in checkpoints)", 4 * 4 * P));

        var flops = new List<CostPart>();
        if (search)
        {
            double evaluations = type switch { "genetic" => pop, "random_search" => 1 + candidates, _ => 2 };
            flops.Add(new(searchField, $"{evaluations:N0} forward passes over {B:N0} rows", evaluations * B * f));
            if (data.IsClassification) flops.Add(new("batchSize", $"the accuracy pass over {B:N0} rows", B * f));
        }
        else if (numerical)
        {
            flops.Add(new("batchSize", $"the forward pass over {B:N0} rows", B * f));
            flops.Add(new("gradient", $"central differences: 2 × {P:N0} forward passes over {B:N0} rows", 2 * P * B * f));
        }
        else flops.Add(new("batchSize", $"forward and backward passes over {B:N0} rows", B * (f + b)));
        if (check) flops.Add(new("gradientCheck", $"the gradient check: {2 * checkedEntries:N0} float64 forward passes over {B:N0} rows", 2 * checkedEntries * B * f));
        return new RunCost(memory, flops);
    }

    /// <summary>Training rows after the validation and test splits (<see cref="DatasetSplitter"/>'s rounding).</summary>
    public static int TrainRows(RunSpec spec, int count) =>
        count - (int)Math.Round(count * spec.Dataset!.TestFraction!.Value) - (int)Math.Round(count * spec.Dataset.ValidationFraction!.Value);

    /// <summary>One error per limit exceeded, under the field most responsible, with the estimate and the limit.</summary>
    public List<SpecError> Refusals(SpecLimits limits)
    {
        var e = new List<SpecError>();
        if (limits.MaxRunMemoryBytes is { } maxBytes && MemoryBytes > maxBytes)
        {
            var (field, amount, what) = MostResponsible(Memory);
            e.Add(new(field, $"the run would need ≈ {Bytes(MemoryBytes)} of memory, {Bytes(amount)} of it for {what}; " +
                $"the limit is {maxBytes / (1024 * 1024):N0} MB{Named(limits.MemoryLimitName)}"));
        }
        if (limits.MaxStepFlops is { } maxFlops && StepFlops > maxFlops)
        {
            var (field, amount, what) = MostResponsible(Flops);
            e.Add(new(field, $"one step would need ≈ {GFlop(StepFlops)}, {GFlop(amount)} of it for {what}; " +
                $"the limit is {GFlop(maxFlops)}{Named(limits.FlopLimitName)}"));
        }
        return e;
    }

    /// <summary>The field whose parts add up to the most, that sum, and what its parts are.</summary>
    private static (string Field, double Amount, string What) MostResponsible(IReadOnlyList<CostPart> parts)
    {
        var top = parts.GroupBy(p => p.Field).MaxBy(g => g.Sum(p => p.Amount))!;
        return (top.Key, top.Sum(p => p.Amount), string.Join(", ", top.OrderByDescending(p => p.Amount).Select(p => p.What)));
    }

    private static string Named(string? name) => name is null ? "" : $" ({name})";

    /// <summary>MB below a GB, else GB to one decimal (binary units, as the limit's setting).</summary>
    public static string Bytes(double bytes) => bytes < 1024.0 * 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, Math.Round(bytes / (1024 * 1024))):N0} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):N1} GB");

    public static string GFlop(double flops) => flops >= 10e9
        ? string.Create(CultureInfo.InvariantCulture, $"{flops / 1e9:N0} GFLOP")
        : string.Create(CultureInfo.InvariantCulture, $"{flops / 1e9:0.###} GFLOP");
}

/// <summary>One term of a <see cref="RunCost"/>: the spec field it is charged to, what it is, and how much (bytes or FLOPs).</summary>
public sealed record CostPart(string Field, string What, double Amount);
