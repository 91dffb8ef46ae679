using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Layers;

/// <summary>A layer's backward pass against central differences, through <see cref="ILayer"/> only: L = Σ R ⊙ A for a
/// fixed R; ∂L/∂Z by the layer's activation (as the network does between layers), then Backward; every parameter's
/// gradient and the input's (which Backward must overwrite, not accumulate into) against (L(θ+h) − L(θ−h)) / 2h.</summary>
internal static class LayerGradientCheck
{
    public static void AssertBackwardMatchesFiniteDifferences(ILayer layer, Matrix x, float[] r, string label)
    {
        int rows = x.Rows;
        var buffers = layer.CreateBuffers(rows, withGradients: true);
        buffers.SetRows(rows);

        double Loss()
        {
            layer.Forward(x, buffers);
            double sum = 0;
            for (int i = 0; i < r.Length; i++) sum += (double)r[i] * buffers.A.Data[i];
            return sum;
        }

        Loss();
        r.CopyTo(buffers.DA!.Data, 0);
        layer.Activation.Backward(buffers.Z.ReadOnly, buffers.A.ReadOnly, buffers.DA.ReadOnly, buffers.DZ!.Span);
        var dx = new Matrix(rows, layer.Input.Size);
        dx.Data.AsSpan().Fill(float.NaN); // the layer must overwrite, not accumulate
        layer.Backward(x, buffers, dx);

        var tensors = layer.Parameters.Select(p => (p.Name, Values: p.Data, Grad: p.Grad)).Append(("input", x.Data, dx.Data));
        foreach (var (name, values, grad) in tensors)
            for (int i = 0; i < values.Length; i++)
            {
                float saved = values[i];
                const float h = 1e-2f;
                values[i] = saved + h; double plus = Loss();
                values[i] = saved - h; double minus = Loss();
                values[i] = saved;
                double numerical = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numerical - grad[i]) <= 1e-3 + 1e-2 * Math.Abs(numerical), $"{label}{name}[{i}]: backward {grad[i]}, central difference {numerical}");
            }
    }
}
