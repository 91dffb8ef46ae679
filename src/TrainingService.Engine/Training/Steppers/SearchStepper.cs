using TrainingService.Engine.Search;

namespace TrainingService.Engine.Training.Steppers;

/// <summary>
/// A gradient-free trainer's step (random search, hill climbing, a genetic generation): it evaluates the objective's
/// loss at the weights it tries and leaves the network on the best. No gradient, so no norms.
/// </summary>
public sealed class SearchStepper : IStepper
{
    private readonly IObjective _objective;
    private readonly Func<double> _value;
    private Batch? _batch;

    public SearchStepper(IObjective objective, GradientFreeTrainer trainer)
    {
        _objective = objective;
        Trainer = trainer;
        _value = () => _objective.Value(_batch!); // made once: a step allocates nothing
    }

    public GradientFreeTrainer Trainer { get; }

    public StepOutcome Step(Batch batch, CancellationToken cancellationToken)
    {
        _batch = batch;
        double loss = Trainer.Step(_value, out long evaluations, cancellationToken);
        long correct = double.IsFinite(loss) ? _objective.CountCorrect(batch) : 0;
        return new StepOutcome(loss, correct, evaluations, null, default);
    }

    /// <summary>σ, which the trainer may adapt; the learning-rate schedule does not apply.</summary>
    public double Rate => Trainer.StepScale;
    public void StartEpoch(double scheduledRate) { }
    public void SaveTo(SessionState state) => state.Search = Trainer.ExportState();

    public void LoadFrom(SessionState state)
    {
        if (state.Search is not null) Trainer.ImportState(state.Search);
    }
}
