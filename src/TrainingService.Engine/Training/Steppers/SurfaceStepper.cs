namespace TrainingService.Engine.Training.Steppers;

/// <summary>Gradient descent on a test surface f(w, b) with its exact gradient: one evaluation of f per step.</summary>
public sealed class SurfaceStepper(SurfaceObjective objective, GradientUpdate update) : GradientStepper(update)
{
    public override StepOutcome Step(Batch batch, CancellationToken cancellationToken)
    {
        double loss = objective.Evaluate(batch, out long correct);
        if (!double.IsFinite(loss)) return new StepOutcome(loss, correct, 0, null, default);
        return Finish(loss, correct, 1);
    }
}
