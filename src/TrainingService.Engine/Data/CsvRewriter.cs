using System.Text;

namespace TrainingService.Engine.Data;

/// <summary>Copies a CSV record by record with one column moved to the end (runs read CSV targets from the last
/// column). Field text is kept as it was (unquoted and trimmed as <see cref="CsvLoader"/> reads it, quoted again where
/// it must be), so values are unchanged; memory is bounded by a row.</summary>
public static class CsvRewriter
{
    public static async Task MoveColumnLastAsync(TextReader input, TextWriter output, int column, string sourceName, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        var records = new CsvRecordReader(input, sourceName);
        var line = new StringBuilder();
        while (records.Read())
        {
            ct.ThrowIfCancellationRequested();
            if (column >= records.FieldCount)
                throw new DataFormatException($"{sourceName}: line {records.LineNumber} has {records.FieldCount} fields, expected more than {column}");
            line.Clear();
            for (int c = 0; c < records.FieldCount; c++)
                if (c != column) AppendField(line, records.Field(c)).Append(',');
            AppendField(line, records.Field(column)).Append('\n');
            await output.WriteAsync(line, ct);
        }
    }

    private static StringBuilder AppendField(StringBuilder sb, ReadOnlySpan<char> field)
    {
        bool quote = field.IndexOfAny(",\"\n\r") >= 0 || (field.Length > 0 && (field[0] is ' ' or '\t' || field[^1] is ' ' or '\t'));
        if (!quote) return sb.Append(field);
        sb.Append('"');
        foreach (char ch in field)
        {
            if (ch == '"') sb.Append('"');
            sb.Append(ch);
        }
        return sb.Append('"');
    }
}
