using TrainingService.Engine.Layers;

namespace TrainingService.Engine.Gradients;

/// <summary>
/// Gradients by central differences: ∂L/∂θ_i ≈ (L(θ + h·e_i) − L(θ − h·e_i)) / 2h, two loss evaluations
/// per parameter — the cost backprop avoids by reusing the forward pass (its cost is about one extra pass
/// for all parameters together).
/// </summary>
public static class NumericalGradient
{
    /// <summary>h for float32: large enough that L's rounding (≈1e-7·|L|) stays small next to h·∂L, small
    /// enough that the h² truncation term does too.</summary>
    public const float DefaultStep = 5e-3f;

    /// <summary>Writes the estimate into every parameter's Grad; returns the number of loss evaluations (2 per parameter).
    /// A wide net makes this one step minutes long, so <paramref name="cancellationToken"/> is observed before every
    /// parameter (two loss evaluations); on cancellation the weights are as they were and Grad is partly written.</summary>
    /// <exception cref="OperationCanceledException">the token was cancelled</exception>
    public static long Compute(IReadOnlyList<Parameter> parameters, Func<double> loss, float h = DefaultStep, CancellationToken cancellationToken = default)
    {
        long evaluations = 0;
        foreach (var p in parameters)
        {
            float[] data = p.Data;
            for (int i = 0; i < data.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                float original = data[i];
                float up = original + h, down = original - h;
                data[i] = up;
                double lossUp = loss();
                data[i] = down;
                double lossDown = loss();
                data[i] = original;
                // Divide by the step actually taken: float rounding makes (up − down) differ from 2h.
                p.Grad[i] = (float)((lossUp - lossDown) / ((double)up - down));
                evaluations += 2;
            }
        }
        return evaluations;
    }
}
