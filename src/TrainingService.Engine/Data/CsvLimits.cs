namespace TrainingService.Engine.Data;

/// <summary>Where reading a CSV stops: more data rows than <see cref="MaxRows"/> or a header wider than
/// <see cref="MaxColumns"/> (target included) is refused as soon as it is seen, before the rest is read.</summary>
public sealed record CsvLimits(int MaxRows, int MaxColumns)
{
    public static CsvLimits None { get; } = new(int.MaxValue, int.MaxValue);
}

/// <summary>A CSV over one of its <see cref="CsvLimits"/>; the message names the limit.</summary>
public sealed class CsvLimitException(string message) : DataFormatException(message);
