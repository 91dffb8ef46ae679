using TrainingService.Engine.TestFunctions;
using TrainingService.Engine.Layers;

namespace TrainingService.Engine.Training.Steppers;

/// <summary>A test surface f(w, b) at the network's two parameters, the point: there is no data, so the batch is
/// ignored and there is nothing to classify.</summary>
public sealed class SurfaceObjective(Surface surface, Network point) : IObjective
{
    public Surface Surface => surface;

    /// <summary>f at (w, b), with its exact gradient written into the two parameters' Grad.</summary>
    public double Evaluate(Batch batch, out long correct)
    {
        correct = 0;
        return surface.Evaluate(point);
    }

    public double Value(Batch batch) => surface.Value(point);

    public long CountCorrect(Batch batch) => 0;
}
