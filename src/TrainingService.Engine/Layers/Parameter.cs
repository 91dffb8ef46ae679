namespace TrainingService.Engine.Layers;

/// <summary>A trainable tensor (row-major Rows × Cols) and its gradient of the same shape.</summary>
public sealed class Parameter(string name, int rows, int cols)
{
    public string Name { get; } = name;
    public int Rows { get; } = rows;
    public int Cols { get; } = cols;
    public float[] Data { get; } = new float[rows * cols];
    public float[] Grad { get; } = new float[rows * cols];
    public int Length => Data.Length;
}
