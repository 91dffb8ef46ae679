using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Training;

/// <summary>One layer of a <c>model.layers</c> network as <see cref="LayerStack.Plan"/> sizes it before anything is
/// allocated: what <see cref="RunCost"/> and the validator's parameter limit count.</summary>
/// <param name="Macs">multiply-adds of one sample's forward pass (the weight gradient costs as many, and so does the
/// input gradient when the layer is not the first)</param>
/// <param name="Scratch">floats per sample beyond Z, A, ∂Z, ∂A when training (a convolution's column matrices)</param>
public sealed record LayerPlan(string Kind, Shape Input, Shape Output, long Parameters, double Macs, double Scratch);
