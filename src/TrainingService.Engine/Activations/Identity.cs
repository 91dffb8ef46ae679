namespace TrainingService.Engine.Activations;

/// <summary>a = z.</summary>
public sealed class Identity : IActivation
{
    public string Name => "identity";
    public bool IsDifferentiable => true;
    public void Forward(ReadOnlySpan<float> z, Span<float> a, int cols) => z.CopyTo(a);
    public void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ) => dA.CopyTo(dZ);
}
