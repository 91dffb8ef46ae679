using TrainingService.Engine.Layers;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Search;

/// <summary>What a gradient-free trainer is built on: the network, the run's seed and its weight-init scheme.</summary>
public sealed record SearchSetup(Network Network, long Seed, string Init);

/// <summary>A gradient-free optimizer as the spec names it, declared in its own file (<c>Genetic.Entry</c>) like the
/// gradient-descent ones (<see cref="Optimizers.OptimizerEntry"/>). These take no learning rate, schedule or clipping.</summary>
public sealed class SearchEntry : Entry
{
    public SearchEntry(string name, int order, string description, IReadOnlyList<SpecField> fields,
        Func<FieldValues, SearchSetup, GradientFreeTrainer> create, Func<FieldValues, (string Field, string Message)?>? rule = null)
        : base(name, description, fields)
    {
        Order = order;
        Rule = rule;
        Create = create;
    }

    public Func<FieldValues, SearchSetup, GradientFreeTrainer> Create { get; }

    /// <summary>σ, which every gradient-free method perturbs by.</summary>
    public static readonly SpecField StepSize =
        SpecField.Number("stepSize", "σ: the standard deviation of perturbations", 0, 100, minExclusive: true).WithDefault(0.1);
}
