namespace TrainingService.Engine.Gradients;

/// <summary>Max relative error between backprop and central differences, per layer with parameters (weights and bias
/// together; dense and conv2d layers in order, as the per-layer gradient norms), over the checked entries whose
/// difference quotient does not straddle a relu/leaky_relu/step kink or a max pool's choice (see GradientCheck).</summary>
public sealed record GradientCheckResult(double[] LayerMaxRelativeError, double MaxRelativeError, long LossEvaluations)
{
    /// <summary>Per layer, checked entries left out of the maxima because θ ± h crosses a kink.</summary>
    public int[] LayerKinkEntries { get; init; } = [];
    /// <summary>All layers' kink entries.</summary>
    public int KinkEntries { get; init; }
}
