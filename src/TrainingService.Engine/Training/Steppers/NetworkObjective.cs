using TrainingService.Engine.Layers;
using TrainingService.Engine.Losses;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Training.Steppers;

/// <summary>The network's loss on a batch. <see cref="Evaluate"/> runs the training forward pass (its workspace keeps the
/// activations and dL/dz for <see cref="Backward"/>); <see cref="Value"/> and <see cref="CountCorrect"/> use a second,
/// forward-only workspace so they never disturb them. The workspaces are made on the first step, so a session built
/// only to be looked at (a landscape, a prediction) does not hold them.</summary>
public sealed class NetworkObjective(Network network, ILoss loss, int batchSize) : IObjective
{
    private Workspace? _trainWs, _valueWs;
    private Workspace _ws => _trainWs ??= network.CreateWorkspace(batchSize, withGradients: true);
    private Workspace _evalWs => _valueWs ??= network.CreateWorkspace(batchSize, withGradients: false);

    public Network Network => network;
    public ILoss Loss => loss;

    public double Evaluate(Batch batch, out long correct)
    {
        Matrix output = network.Forward(batch.X, _ws);
        double value = loss.Evaluate(_ws.Z[^1], output, batch.Targets, network.OutputActivation, _ws.DZ[^1].Span);
        correct = batch.HasLabels ? Accuracy.CountCorrect(output, batch.Labels) : 0;
        return value;
    }

    /// <summary>Gradients of the loss <see cref="Evaluate"/> last measured, into the parameters' Grad.</summary>
    public void Backward(Batch batch) => network.Backward(batch.X, _ws);

    public double Value(Batch batch)
    {
        Matrix output = network.Forward(batch.X, _evalWs);
        return loss.Evaluate(_evalWs.Z[^1], output, batch.Targets, network.OutputActivation, Span<float>.Empty);
    }

    public long CountCorrect(Batch batch) =>
        batch.HasLabels ? Accuracy.CountCorrect(network.Forward(batch.X, _evalWs), batch.Labels) : 0;
}
