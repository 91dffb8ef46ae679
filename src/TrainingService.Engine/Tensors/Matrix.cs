namespace TrainingService.Engine.Tensors;

/// <summary>
/// A row-major float32 matrix over a contiguous buffer. <see cref="Rows"/> may shrink below the
/// allocated capacity (a short last mini-batch) without reallocating.
/// </summary>
public sealed class Matrix
{
    public float[] Data { get; private set; }
    public int Rows { get; private set; }
    public int Cols { get; }
    public int Capacity => Data.Length / Math.Max(Cols, 1);

    public Matrix(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        Rows = rows; Cols = cols;
        Data = new float[(long)rows * cols];
    }

    public Matrix(int rows, int cols, float[] data)
    {
        if (data.Length < (long)rows * cols) throw new ArgumentException($"buffer of {data.Length} is smaller than {rows}×{cols}", nameof(data));
        Rows = rows; Cols = cols; Data = data;
    }

    public int Length => Rows * Cols;
    public Span<float> Span => Data.AsSpan(0, Rows * Cols);
    public ReadOnlySpan<float> ReadOnly => Data.AsSpan(0, Rows * Cols);
    public Span<float> Row(int r) => Data.AsSpan(r * Cols, Cols);

    public float this[int r, int c]
    {
        get => Data[r * Cols + c];
        set => Data[r * Cols + c] = value;
    }

    /// <summary>Sets the number of rows in use, growing the buffer only when capacity is exceeded.</summary>
    public void SetRows(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if ((long)rows * Cols > Data.Length) Data = new float[(long)rows * Cols];
        Rows = rows;
    }
}
