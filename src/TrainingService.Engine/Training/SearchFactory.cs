using TrainingService.Engine.Layers;
using TrainingService.Engine.Search;

namespace TrainingService.Engine.Training;

/// <summary>Builds a gradient-free trainer from a filled-in spec: its entry's factory (<see cref="SpecVocabulary"/>).</summary>
public static class SearchFactory
{
    public static GradientFreeTrainer Create(RunSpec spec, Network net)
    {
        var o = spec.Optimizer!;
        var entry = SpecVocabulary.SearchOptimizer(o.Type!) ?? throw new ArgumentException($"'{o.Type}' is not a gradient-free optimizer", nameof(spec));
        return entry.Create(SpecVocabulary.Values(entry, o), new SearchSetup(net, spec.Seed!.Value, spec.Model!.Init!));
    }
}
