using TrainingService.Engine.Gradients;

namespace TrainingService.Engine.Training.Steppers;

/// <summary>
/// Gradient descent with backpropagation: forward, loss, backward, update. With <c>gradientCheck</c>, the first step
/// also compares the backprop gradients with central differences on its batch (<see cref="GradientCheck"/>).
/// </summary>
public sealed class BackpropStepper(NetworkObjective objective, GradientUpdate update, string lossName, long seed, bool gradientCheck)
    : GradientStepper(update)
{
    private bool _checkPending = gradientCheck;

    public override StepOutcome Step(Batch batch, CancellationToken cancellationToken)
    {
        double loss = objective.Evaluate(batch, out long correct);
        if (!double.IsFinite(loss)) return new StepOutcome(loss, correct, 0, null, default);
        objective.Backward(batch);
        GradientCheckResult? check = null;
        if (_checkPending)
        {
            check = GradientCheck.Run(objective.Network, batch.X.ReadOnly, batch.Rows, batch.Targets, lossName, seed, cancellationToken);
            _checkPending = false;
        }
        return Finish(loss, correct, 1, check);
    }

    /// <summary>A resumed run is past its first step: nothing left to check.</summary>
    public override void LoadFrom(SessionState state)
    {
        base.LoadFrom(state);
        if (state.Step > 0) _checkPending = false;
    }
}
