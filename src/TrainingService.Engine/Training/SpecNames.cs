namespace TrainingService.Engine.Training;

/// <summary>The closed vocabularies of a spec, in one place for validation, the API's schema and the dashboard.</summary>
public static class SpecNames
{
    public static readonly string[] Gradients = ["backprop", "numerical"];
    public static readonly string[] Schedules = ["constant", "step", "exponential", "cosine", "reduce_on_plateau"];
    /// <summary>Gradient-free trainers named by the contract; they arrive with the search engine.</summary>
    public static readonly string[] GradientFreeOptimizers = ["random_search", "hill_climbing", "genetic"];
}
