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
    /// <summary>For each parameter, its layer's slot in <see cref="LayerNorms"/> (one slot per layer that has parameters).</summary>
    private readonly int[] _slotOf;

    public GradientUpdate(Network network, Optimizer optimizer, double clipNorm)
    {
        _network = network;
        Optimizer = optimizer;
        _clipNorm = clipNorm;
        _parameterSquares = new double[network.Parameters.Count];
        int[] layerOf = [.. Enumerable.Range(0, network.Parameters.Count).Select(network.LayerOf)];
        int[] withParameters = [.. layerOf.Distinct()];
        _slotOf = [.. layerOf.Select(l => Array.IndexOf(withParameters, l))];
        _layerNorms = new double[withParameters.Length];
    }

    public Optimizer Optimizer { get; }

    /// <summary>Per-layer ‖(dW, db)‖₂ of the last <see cref="Apply"/>, one per layer that has parameters, in layer order.</summary>
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

    /// <summary>Per-layer norms from the parameters' ‖g‖² (W₁, b₁, W₂, …, each layer's summed in parameter order);
    /// returns the global norm.</summary>
    private double Norms()
    {
        Array.Clear(_layerNorms);
        for (int p = 0; p < _parameterSquares.Length; p++) _layerNorms[_slotOf[p]] += _parameterSquares[p];
        double total = 0;
        for (int l = 0; l < _layerNorms.Length; l++)
        {
            total += _layerNorms[l];
            _layerNorms[l] = Math.Sqrt(_layerNorms[l]);
        }
        return Math.Sqrt(total);
    }

    public void SaveTo(SessionState state) => state.Optimizer = Optimizer.ExportState();

    public void LoadFrom(SessionState state)
    {
        if (state.Optimizer is not null) Optimizer.ImportState(state.Optimizer);
    }
}
