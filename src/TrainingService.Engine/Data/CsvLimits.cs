namespace TrainingService.Engine.Data;

/// <summary>Where reading a CSV stops: more data rows than <see cref="MaxRows"/>, a header wider than
/// <see cref="MaxColumns"/> (target included) or a line longer than <see cref="MaxRowChars"/> is refused as soon as it
/// is seen, before the rest is read.</summary>
public sealed record CsvLimits(int MaxRows, int MaxColumns)
{
    /// <summary>Characters a row may have per column allowed, on average: far more than any number needs (a float
    /// prints in at most 15), room for text labels, and what bounds a line's memory when a file is one long line.</summary>
    public const int CharsPerColumn = 256;

    public static CsvLimits None { get; } = new(int.MaxValue, int.MaxValue);

    public int MaxRowChars => (int)Math.Min(int.MaxValue, (long)MaxColumns * CharsPerColumn);
}

/// <summary>A CSV over one of its <see cref="CsvLimits"/>; the message names the limit.</summary>
public sealed class CsvLimitException(string message) : DataFormatException(message);
