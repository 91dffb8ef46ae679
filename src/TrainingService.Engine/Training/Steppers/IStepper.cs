using TrainingService.Engine.Gradients;

namespace TrainingService.Engine.Training.Steppers;

/// <summary>
/// One training mode's step on one batch: backprop, numerical gradients, a gradient-free search or a test surface's
/// exact gradient. The session's loop is the same for every mode (shuffle, gather, step, record; evaluate, schedule,
/// stop early); what differs lives behind this interface, one implementation a file.
/// </summary>
public interface IStepper
{
    /// <summary>Takes one step on <paramref name="batch"/>. A non-finite loss is returned before any update, so the
    /// weights stay those the loss was measured at. <paramref name="cancellationToken"/> is observed inside steps
    /// that take many loss evaluations; a cancelled step restores what it perturbed and throws.</summary>
    StepOutcome Step(Batch batch, CancellationToken cancellationToken);

    /// <summary>The rate reported with every step and epoch: the learning rate, or σ for a search.</summary>
    double Rate { get; }

    /// <summary>Sets the schedule's rate for the epoch that starts (a search keeps its own σ and ignores it).</summary>
    void StartEpoch(double scheduledRate);

    /// <summary>Writes the optimizer's or the search's state into <paramref name="state"/> (a checkpoint).</summary>
    void SaveTo(SessionState state);

    /// <summary>Continues from <paramref name="state"/>, taken from a session built from the same spec.</summary>
    void LoadFrom(SessionState state);
}

/// <summary>What one step did.</summary>
/// <param name="Loss">The batch's loss at the weights before the update.</param>
/// <param name="Correct">Correctly classified rows of the batch (0 without labels).</param>
/// <param name="Evaluations">Loss evaluations the step cost (1 for backprop; 1 + 2 per parameter for central differences).</param>
/// <param name="Norm">The global gradient L2 norm before clipping, or null without a gradient.</param>
/// <param name="LayerNorms">Per-layer ‖(dW, db)‖₂ (empty without a gradient); a buffer the next step overwrites.</param>
/// <param name="Check">The gradient check, on the step that ran it.</param>
public readonly record struct StepOutcome(double Loss, long Correct, long Evaluations, double? Norm,
    ReadOnlyMemory<double> LayerNorms, GradientCheckResult? Check = null);
