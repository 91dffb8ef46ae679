using TrainingService.Engine.Gradients;
using TrainingService.Engine.Layers;

namespace TrainingService.Engine.Training.Steppers;

/// <summary>
/// Gradient descent on central differences (<see cref="NumericalGradient"/>): 2 loss evaluations per parameter per
/// step instead of a backward pass, on a network's batch loss or a surface alike.
/// </summary>
public sealed class NumericalStepper : GradientStepper
{
    private readonly IObjective _objective;
    private readonly Network _network;
    private readonly Func<double> _value;
    private Batch? _batch;

    public NumericalStepper(IObjective objective, Network network, GradientUpdate update) : base(update)
    {
        _objective = objective;
        _network = network;
        _value = () => _objective.Value(_batch!); // made once: a step allocates nothing
    }

    public override StepOutcome Step(Batch batch, CancellationToken cancellationToken)
    {
        double loss = _objective.Evaluate(batch, out long correct);
        if (!double.IsFinite(loss)) return new StepOutcome(loss, correct, 0, null, default);
        _batch = batch;
        long evaluations = 1 + NumericalGradient.Compute(_network.Parameters, _value, cancellationToken: cancellationToken);
        return Finish(loss, correct, evaluations);
    }
}
