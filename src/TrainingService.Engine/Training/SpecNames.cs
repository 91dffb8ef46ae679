namespace TrainingService.Engine.Training;

/// <summary>The closed vocabularies of a spec, in one place for validation, the API's schema and the dashboard.</summary>
public static class SpecNames
{
    public static readonly string[] Gradients = ["backprop", "numerical"];
    public static readonly string[] Schedules = ["constant", "step", "exponential", "cosine", "reduce_on_plateau"];
    /// <summary>Trainers that only evaluate the loss (Search/), the naive baselines and the perceptron's only option.</summary>
    public static readonly string[] GradientFreeOptimizers = ["random_search", "hill_climbing", "genetic"];
    public static readonly string[] Samplings = ["init", "local"];

    public static bool IsGradientFree(string? optimizerType) => optimizerType is not null && GradientFreeOptimizers.Contains(optimizerType);
}
