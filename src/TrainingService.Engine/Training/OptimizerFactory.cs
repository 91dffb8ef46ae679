using TrainingService.Engine.Optimizers;

namespace TrainingService.Engine.Training;

/// <summary>Builds an optimizer from an <see cref="OptimizerSpec"/>: its entry's factory (<see cref="SpecVocabulary"/>)
/// on the spec's fields, defaults for those unset.</summary>
public static class OptimizerFactory
{
    /// <exception cref="ArgumentException">unknown type or a hyperparameter out of range (named, with its value)</exception>
    public static Optimizer Create(OptimizerSpec s)
    {
        string type = s.Type ?? SpecDefaults.Optimizer;
        var entry = SpecVocabulary.GradientOptimizer(type) ?? throw new ArgumentException(
            $"unknown optimizer type '{type}'; expected one of {string.Join(", ", SpecVocabulary.GradientOptimizers.Select(o => o.Name))}", nameof(s));
        return entry.Create(SpecVocabulary.Values(entry, s));
    }
}
