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

    /// <summary>Floats (and ints) held, at capacity: what a workspace of this many rows costs in memory, ÷ 4 bytes. A
    /// kind with scratch adds it.</summary>
    public virtual long Floats => Z.Data.LongLength + A.Data.LongLength + (DZ?.Data.LongLength ?? 0) + (DA?.Data.LongLength ?? 0);

    /// <summary>Sets the rows in use to the batch's (growing a buffer only past its capacity); a subclass sizes its
    /// scratch here too.</summary>
    public virtual void SetRows(int rows)
    {
        Z.SetRows(rows); A.SetRows(rows);
        DZ?.SetRows(rows); DA?.SetRows(rows);
    }
}
