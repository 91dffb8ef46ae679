namespace TrainingService.Engine.Training.Steppers;

/// <summary>What a run minimises at the network's current weights: a loss over a batch of data
/// (<see cref="NetworkObjective"/>) or a test surface f(w, b) (<see cref="SurfaceObjective"/>).</summary>
public interface IObjective
{
    /// <summary>The loss a step reports, keeping what its gradient needs (a network's dL/dz, a surface's exact
    /// gradient), and the batch's correctly classified rows.</summary>
    double Evaluate(Batch batch, out long correct);

    /// <summary>The loss alone, nothing else touched: what central differences and a search evaluate many times.</summary>
    double Value(Batch batch);

    /// <summary>Correctly classified rows of <paramref name="batch"/> at the current weights (0 without labels).</summary>
    long CountCorrect(Batch batch);
}
