using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>Every layer's batch buffers (<see cref="LayerBuffers"/>), so the training loop allocates nothing per step.
/// Z, A, DZ and DA index them by layer: <c>Z[^1]</c> is the output layer's pre-activation the loss reads and
/// <c>DZ[^1]</c> the gradient it writes.</summary>
public sealed class Workspace
{
    internal Workspace(Network net, int maxRows, bool withGradients)
    {
        int n = net.Layers.Count;
        Buffers = new LayerBuffers[n];
        for (int l = 0; l < n; l++) Buffers[l] = net.Layers[l].CreateBuffers(maxRows, withGradients);
        Z = [.. Buffers.Select(b => b.Z)];
        A = [.. Buffers.Select(b => b.A)];
        DZ = withGradients ? [.. Buffers.Select(b => b.DZ!)] : [];
        DA = withGradients ? [.. Buffers.Select(b => b.DA!)] : [];
        HasGradients = withGradients;
    }

    public LayerBuffers[] Buffers { get; }
    public Matrix[] Z { get; }
    public Matrix[] A { get; }
    public Matrix[] DZ { get; }
    public Matrix[] DA { get; }
    public bool HasGradients { get; }

    /// <summary>Floats held by every layer's buffers (see <see cref="LayerBuffers.Floats"/>).</summary>
    public long Floats => Buffers.Sum(b => b.Floats);

    internal void EnsureRows(int rows)
    {
        foreach (var b in Buffers) b.SetRows(rows);
    }
}
