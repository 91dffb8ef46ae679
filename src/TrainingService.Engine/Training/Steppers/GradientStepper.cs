using TrainingService.Engine.Gradients;
using TrainingService.Engine.Optimizers;

namespace TrainingService.Engine.Training.Steppers;

/// <summary>What the gradient steppers share: the learning rate is the optimizer's, the state is the optimizer's, and
/// every step ends in <see cref="GradientUpdate.Apply"/>.</summary>
public abstract class GradientStepper(GradientUpdate update) : IStepper
{
    protected GradientUpdate Update { get; } = update;
    public Optimizer Optimizer => Update.Optimizer;

    public abstract StepOutcome Step(Batch batch, CancellationToken cancellationToken);

    public double Rate => Update.Optimizer.LearningRate;
    public void StartEpoch(double scheduledRate) => Update.Optimizer.LearningRate = scheduledRate;
    public void SaveTo(SessionState state) => Update.SaveTo(state);
    public virtual void LoadFrom(SessionState state) => Update.LoadFrom(state);

    /// <summary>Applies the gradients now in the parameters' Grad and reports the step.</summary>
    protected StepOutcome Finish(double loss, long correct, long evaluations, GradientCheckResult? check = null)
    {
        double norm = Update.Apply();
        return new StepOutcome(loss, correct, evaluations, norm, Update.LayerNorms, check);
    }
}
