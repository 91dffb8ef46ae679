using TrainingService.Engine.Layers;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Gradients;

/// <summary>
/// Compares the backprop gradient already in each parameter's Grad with central differences and restores
/// Grad afterwards. Per layer it reports max_i |b_i − n_i| / max(|b_i|, |n_i|, δ) with δ = 1e-3: below δ the
/// comparison is absolute, because float32 central differences carry noise of about 1e-5 that would make
/// the relative error of near-zero entries meaningless.
/// </summary>
public static class GradientCheck
{
    public const double Floor = 1e-3;

    public static GradientCheckResult Run(Network net, Func<double> loss, float h = NumericalGradient.DefaultStep)
    {
        var parameters = net.Parameters;
        var backprop = new float[parameters.Count][];
        for (int i = 0; i < parameters.Count; i++) backprop[i] = (float[])parameters[i].Grad.Clone();
        long evaluations = NumericalGradient.Compute(parameters, loss, h);

        var perLayer = new double[net.Layers.Count];
        for (int i = 0; i < parameters.Count; i++)
        {
            float[] numerical = parameters[i].Grad;
            double worst = perLayer[i / 2];
            for (int j = 0; j < numerical.Length; j++)
            {
                double b = backprop[i][j], n = numerical[j];
                double err = Math.Abs(b - n) / Math.Max(Math.Max(Math.Abs(b), Math.Abs(n)), Floor);
                if (err > worst || double.IsNaN(err)) worst = err;
            }
            perLayer[i / 2] = worst;
            backprop[i].CopyTo(parameters[i].Grad, 0);
        }
        double max = 0;
        foreach (double e in perLayer) max = Math.Max(max, e);
        return new GradientCheckResult(perLayer, max, evaluations);
    }
}
