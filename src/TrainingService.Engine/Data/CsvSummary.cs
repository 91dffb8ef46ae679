namespace TrainingService.Engine.Data;

/// <summary>What <see cref="CsvLoader.Scan"/> learns of a CSV without loading it: the same checks and the same task
/// as <see cref="CsvLoader.Load(TextReader, string, string?)"/> would give.</summary>
/// <param name="TargetColumn">Index of the target in <paramref name="Header"/>.</param>
/// <param name="Classes">0 for a regression target.</param>
public sealed record CsvSummary(string[] Header, int TargetColumn, int Rows, int Classes, string[]? ClassNames)
{
    public int Features => Header.Length - 1;
    public bool IsClassification => Classes >= 2;
}
