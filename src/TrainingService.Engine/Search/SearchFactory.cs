using TrainingService.Engine.Layers;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Search;

/// <summary>Builds a gradient-free trainer from a filled-in spec.</summary>
public static class SearchFactory
{
    public static GradientFreeTrainer Create(RunSpec spec, Network net)
    {
        var o = spec.Optimizer!;
        long seed = spec.Seed!.Value;
        string init = spec.Model!.Init!;
        return o.Type switch
        {
            "random_search" => new RandomSearch(net, seed, o.Candidates!.Value, o.Sampling!, o.StepSize!.Value, init),
            "hill_climbing" => new HillClimbing(net, seed, o.StepSize!.Value),
            "genetic" => new GeneticAlgorithm(net, seed, init, o.PopulationSize!.Value, o.MutationRate!.Value, o.CrossoverRate!.Value,
                o.Elitism!.Value, o.TournamentSize!.Value, o.StepSize!.Value),
            _ => throw new ArgumentException($"'{o.Type}' is not a gradient-free optimizer", nameof(spec)),
        };
    }
}
