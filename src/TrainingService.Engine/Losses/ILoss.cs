using TrainingService.Engine.Activations;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Losses;

/// <summary>
/// A loss with mean reduction. <see cref="Evaluate"/> returns the batch loss and, when asked, writes the
/// gradient with respect to the output layer's pre-activation Z_L, so the output activation's derivative
/// is folded in (and, for softmax/sigmoid with their matching loss, fused into P − Y).
/// </summary>
public interface ILoss
{
    /// <summary>The spec name ("mse", "l1", "bce", "cross_entropy").</summary>
    string Name { get; }

    /// <summary>Values per target row: 1 for class-index targets (cross_entropy), else the output width.</summary>
    int TargetWidth(int outputs);

    /// <param name="z">Z_L, B × M</param>
    /// <param name="output">f(Z_L), B × M</param>
    /// <param name="targets">B × <see cref="TargetWidth"/></param>
    /// <param name="outputActivation">f, whose derivative mse and l1 apply</param>
    /// <param name="dZ">B × M gradient destination, or empty to compute the loss only</param>
    double Evaluate(Matrix z, Matrix output, ReadOnlySpan<float> targets, IActivation outputActivation, Span<float> dZ);
}
