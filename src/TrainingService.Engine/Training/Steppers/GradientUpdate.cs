using TrainingService.Engine.Layers;
using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Training.Steppers;

/// <summary>
/// The update every gradient stepper ends with, written once: the gradient norms (global and per layer), clipping to
/// <c>clipNorm</c> (PyTorch's <c>clip_grad_norm_</c>: g ← g·clip/(‖g‖ + 1e-6) when ‖g‖ &gt; clip), then the optimizer's
/// step. The norm is computed once either way: without clipping, the optimizer's update pass sums the squares as it
/// goes (measured faster than a separate pass); with clipping, it is needed before the update, so it takes its own pass.
/// </summary>
public sealed class GradientUpdate
{
    private readonly Network _network;
    private readonly double _clipNorm;
    private readonly double[] _parameterSquares;
    private readonly double[] _layerNorms;

    public GradientUpdate(Network network, Optimizer optimizer, double clipNorm)
    {
        _network = network;
        Optimizer = optimizer;
        _clipNorm = clipNorm;
        _parameterSquares = new double[network.Parameters.Count];
        _layerNorms = new double[network.Layers.Count];
    }

    public Optimizer Optimizer { get; }

    /// <summary>Per-layer ‖(dW, db)‖₂ of the last <see cref="Apply"/>.</summary>
    public ReadOnlyMemory<double> LayerNorms => _layerNorms;

    /// <summary>Clips (if asked) and applies the gradients in the parameters' Grad; returns the norm before clipping.</summary>
    public double Apply()
    {
        var parameters = _network.Parameters;
        if (_clipNorm > 0)
        {
            for (int i = 0; i < _parameterSquares.Length; i++) _parameterSquares[i] = Optimizer.SquaredNorm(parameters[i].Grad);
            double norm = Norms();
            if (norm > _clipNorm)
                foreach (var p in parameters) Kernels.Scale(p.Grad, (float)(_clipNorm / (norm + 1e-6)));
            Optimizer.Step(parameters);
            return norm;
        }
        Optimizer.Step(parameters, _parameterSquares);
        return Norms();
    }

    /// <summary>Per-layer norms from the parameters' ‖g‖² (W₁, b₁, W₂, …); returns the global norm.</summary>
    private double Norms()
    {
        double total = 0;
        for (int l = 0; l < _layerNorms.Length; l++)
        {
            double sq = _parameterSquares[2 * l] + _parameterSquares[2 * l + 1];
            _layerNorms[l] = Math.Sqrt(sq);
            total += sq;
        }
        return Math.Sqrt(total);
    }

    public void SaveTo(SessionState state) => state.Optimizer = Optimizer.ExportState();

    public void LoadFrom(SessionState state)
    {
        if (state.Optimizer is not null) Optimizer.ImportState(state.Optimizer);
    }
}
