using TrainingService.Engine.TestFunctions;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Losses;
using TrainingService.Engine.Search;

namespace TrainingService.Engine.Training.Steppers;

/// <summary>Which stepper a filled-in spec trains with.</summary>
public static class StepperFactory
{
    /// <summary>A gradient-free optimizer: <see cref="SearchStepper"/>; <c>gradient: numerical</c>:
    /// <see cref="NumericalStepper"/>; a test surface: <see cref="SurfaceStepper"/>; else <see cref="BackpropStepper"/>.
    /// The search and central differences evaluate whichever objective the run has: the batch's loss or the surface.</summary>
    public static IStepper For(RunSpec spec, Network network, ILoss loss, Surface? surface, int batchSize)
    {
        var data = new NetworkObjective(network, loss, batchSize);
        IObjective objective = surface is null ? data : new SurfaceObjective(surface, network);
        if (SpecNames.IsGradientFree(spec.Optimizer!.Type)) return new SearchStepper(objective, SearchFactory.Create(spec, network));
        var update = new GradientUpdate(network, OptimizerFactory.Create(spec.Optimizer), spec.Optimizer.ClipNorm ?? 0);
        if (spec.Gradient == "numerical") return new NumericalStepper(objective, network, update);
        return objective is SurfaceObjective exact
            ? new SurfaceStepper(exact, update)
            : new BackpropStepper(data, update, loss.Name, spec.Seed!.Value, spec.GradientCheck == true);
    }
}
