using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>One layer's batch buffers in a <see cref="Workspace"/>: Z (before the fused activation), A (after) and, for
/// training, ∂L/∂Z and ∂L/∂A, each rows × the layer's output size.</summary>
public class LayerBuffers
{
    public LayerBuffers(int maxRows, int width, bool withGradients)
    {
        Z = new Matrix(maxRows, width);
        A = new Matrix(maxRows, width);
        DZ = withGradients ? new Matrix(maxRows, width) : null;
        DA = withGradients ? new Matrix(maxRows, width) : null;
    }

    public Matrix Z { get; }
    public Matrix A { get; }
    public Matrix? DZ { get; }
    public Matrix? DA { get; }

    /// <summary>Sets the rows in use to the batch's (growing a buffer only past its capacity); a subclass sizes its
    /// scratch here too.</summary>
    public virtual void SetRows(int rows)
    {
        Z.SetRows(rows); A.SetRows(rows);
        DZ?.SetRows(rows); DA?.SetRows(rows);
    }
}
