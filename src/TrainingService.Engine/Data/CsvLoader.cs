using System.Globalization;

namespace TrainingService.Engine.Data;

/// <summary>
/// Loads a CSV table with a header row into a <see cref="Dataset"/>. One column is the target (by header name,
/// or the last column); every other column must be numeric (invariant culture: '.' decimal point).
/// The target decides the task:
/// <list type="bullet">
/// <item>text labels → classification, classes in order of first appearance, ClassNames = the labels (at most
/// <see cref="MaxClasses"/>);</item>
/// <item>integer-valued numbers with 2..<see cref="MaxNumericClasses"/> distinct values → classification over the
/// sorted distinct values (Y holds the index into that order, ClassNames their text), since such a column is almost
/// always a label such as a digit or a 0/1 flag;</item>
/// <item>any other numbers → regression (Classes 0).</item>
/// </list>
/// Every error is a <see cref="DataFormatException"/> naming the source, the line (header = 1) and the column,
/// because the person reading it is usually looking at the file in an editor.
/// </summary>
public static class CsvLoader
{
    /// <summary>More distinct integer values than this and a numeric target is read as a regression target.</summary>
    public const int MaxNumericClasses = 20;

    /// <summary>A text target with more distinct labels than this is refused: far more classes than the small models
    /// trained here have, and checking a file must not hold a dictionary as large as the file.</summary>
    public const int MaxClasses = 10_000;

    public static Dataset Load(string path, string? target = null)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Load(reader, path, target);
    }

    /// <param name="sourceName">Used in error messages; its file name without extension names the dataset.</param>
    public static Dataset Load(TextReader reader, string sourceName, string? target = null)
    {
        var x = new List<float>();
        var (header, t, y) = Read(reader, sourceName, target, CsvLimits.None, x);
        var (labels, classes, classNames) = y.Finish();

        var featureNames = new string[header.Length - 1];
        for (int c = 0, f = 0; c < header.Length; c++)
            if (c != t) featureNames[f++] = header[c];
        return new Dataset
        {
            Name = Path.GetFileNameWithoutExtension(sourceName), X = x.ToArray(), Y = labels!, Count = y.Rows,
            Features = featureNames.Length, Classes = classes, FeatureNames = featureNames, ClassNames = classNames,
        };
    }

    /// <summary>Every check <see cref="Load(TextReader, string, string?)"/> makes, and the task it would find, in memory
    /// bounded by a row: nothing is kept of a row once it is checked. Stops at the first row past
    /// <see cref="CsvLimits.MaxRows"/> and at a header wider than <see cref="CsvLimits.MaxColumns"/> with a
    /// <see cref="CsvLimitException"/>.</summary>
    public static CsvSummary Scan(TextReader reader, string sourceName, string? target, CsvLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var (header, t, y) = Read(reader, sourceName, target, limits, x: null);
        var (_, classes, classNames) = y.Finish();
        return new CsvSummary(header, t, y.Rows, classes, classNames);
    }

    /// <summary>Checks the header and every row; features go to <paramref name="x"/> when given, targets to the
    /// returned <see cref="CsvTarget"/> (which keeps them only when <paramref name="x"/> is given).</summary>
    private static (string[] Header, int Target, CsvTarget Y) Read(TextReader reader, string sourceName, string? target, CsvLimits limits, List<float>? x)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        var records = new CsvRecordReader(reader, sourceName, limits.MaxRowChars);

        if (!records.Read())
            throw new DataFormatException($"{sourceName}: the file is empty; expected a header row and data rows");
        if (records.FieldCount > limits.MaxColumns)
            throw new CsvLimitException($"{sourceName}: the file has {records.FieldCount} columns; the limit is {limits.MaxColumns}");
        var header = new string[records.FieldCount];
        for (int c = 0; c < header.Length; c++) header[c] = records.FieldText(c);
        CheckHeader(header, sourceName);
        int t = FindTarget(header, target, sourceName);

        var y = new CsvTarget(sourceName, header[t], t, keepRows: x is not null);
        while (records.Read())
        {
            int line = records.LineNumber;
            if (y.Rows == limits.MaxRows)
                throw new CsvLimitException($"{sourceName}: the file has more than {limits.MaxRows} data rows; the limit is {limits.MaxRows}");
            if (records.FieldCount != header.Length)
                throw new DataFormatException($"{sourceName}: line {line} has {records.FieldCount} fields, expected {header.Length}");
            for (int c = 0; c < header.Length; c++)
            {
                if (c == t) continue;
                float f = ParseFeature(records.Field(c), sourceName, line, header[c], c);
                x?.Add(f);
            }
            y.Add(records.Field(t), line);
        }
        if (y.Rows == 0)
            throw new DataFormatException($"{sourceName}: the file has a header row but no data rows");
        return (header, t, y);
    }

    private static void CheckHeader(string[] header, string source)
    {
        if (header.Length < 2)
            throw new DataFormatException(
                $"{source}: line 1 has {header.Length} column ('{header[0]}'); need at least 2 (features and a target)");
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < header.Length; c++)
        {
            if (header[c].Length == 0)
                throw new DataFormatException($"{source}: line 1, column {c + 1} has an empty header name");
            if (seen.TryGetValue(header[c], out int first))
                throw new DataFormatException(
                    $"{source}: line 1: duplicate column name '{header[c]}' (columns {first + 1} and {c + 1})");
            seen.Add(header[c], c);
        }
    }

    /// <summary>Exact name first; a case-insensitive match only when it is unambiguous.</summary>
    private static int FindTarget(string[] header, string? target, string source)
    {
        if (target is null) return header.Length - 1;
        int exact = Array.IndexOf(header, target);
        if (exact >= 0) return exact;
        int match = -1;
        for (int c = 0; c < header.Length; c++)
        {
            if (!string.Equals(header[c], target, StringComparison.OrdinalIgnoreCase)) continue;
            if (match >= 0)
                throw new DataFormatException(
                    $"{source}: target column '{target}' matches both '{header[match]}' and '{header[c]}' ignoring case; use the exact name");
            match = c;
        }
        if (match >= 0) return match;
        throw new DataFormatException(
            $"{source}: target column '{target}' not found; columns are: {string.Join(", ", header)}");
    }

    /// <summary>Parsed straight to float (correctly rounded; via double could round twice). Out-of-range values
    /// parse as infinity and are rejected like NaN.</summary>
    private static float ParseFeature(ReadOnlySpan<char> text, string source, int line, string column, int c)
    {
        if (!CsvNumber.TryParse(text, out float f))
            throw new DataFormatException($"{source}: line {line}, column '{column}' ({c + 1}): '{text}' is not a number");
        if (!float.IsFinite(f))
            throw new DataFormatException(
                $"{source}: line {line}, column '{column}' ({c + 1}): '{text}' is not a finite number (NaN, infinity or beyond float range)");
        return f;
    }
}
