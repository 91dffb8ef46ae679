using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>Per-layer batch buffers: Z (pre-activation), A (activation) and, for training, dZ and dA.</summary>
public sealed class Workspace
{
    internal Workspace(Network net, int maxRows, bool withGradients)
    {
        int n = net.Layers.Count;
        Z = new Matrix[n]; A = new Matrix[n];
        DZ = withGradients ? new Matrix[n] : [];
        DA = withGradients ? new Matrix[n] : [];
        for (int l = 0; l < n; l++)
        {
            int w = net.Layers[l].Outputs;
            Z[l] = new Matrix(maxRows, w); A[l] = new Matrix(maxRows, w);
            if (withGradients) { DZ[l] = new Matrix(maxRows, w); DA[l] = new Matrix(maxRows, w); }
        }
        HasGradients = withGradients;
    }

    public Matrix[] Z { get; }
    public Matrix[] A { get; }
    public Matrix[] DZ { get; }
    public Matrix[] DA { get; }
    public bool HasGradients { get; }

    internal void EnsureRows(int rows)
    {
        for (int l = 0; l < Z.Length; l++)
        {
            Z[l].SetRows(rows); A[l].SetRows(rows);
            if (HasGradients) { DZ[l].SetRows(rows); DA[l].SetRows(rows); }
        }
    }
}
