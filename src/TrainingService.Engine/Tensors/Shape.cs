namespace TrainingService.Engine.Tensors;

/// <summary>
/// The shape of one sample: Channels × Height × Width, stored row-major, so a batch is a matrix of
/// <see cref="Size"/>-wide rows (N × C × H × W). A flat vector of n features is n × 1 × 1.
/// </summary>
public readonly record struct Shape
{
    public Shape(int channels, int height, int width)
    {
        if (channels < 1 || height < 1 || width < 1)
            throw new ArgumentOutOfRangeException(nameof(channels), $"a shape needs positive sizes, got {channels}×{height}×{width}");
        (Channels, Height, Width) = (channels, height, width);
    }

    /// <summary>n features, no spatial extent.</summary>
    public static Shape Flat(int size) => new(size, 1, 1);

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>Floats per sample.</summary>
    public int Size => Channels * Height * Width;

    public bool IsFlat => Height == 1 && Width == 1;

    public override string ToString() => IsFlat ? $"{Channels}" : $"{Channels}×{Height}×{Width}";
}
