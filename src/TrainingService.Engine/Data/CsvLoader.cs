using System.Globalization;

namespace TrainingService.Engine.Data;

/// <summary>
/// Loads a CSV table with a header row into a <see cref="Dataset"/>. One column is the target (by header name,
/// or the last column); every other column must be numeric (invariant culture: '.' decimal point).
/// The target decides the task:
/// <list type="bullet">
/// <item>text labels → classification, classes in order of first appearance, ClassNames = the labels;</item>
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

    public static Dataset Load(string path, string? target = null)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Load(reader, path, target);
    }

    /// <param name="sourceName">Used in error messages; its file name without extension names the dataset.</param>
    public static Dataset Load(TextReader reader, string sourceName, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        var records = new CsvRecordReader(reader, sourceName);

        if (!records.Read())
            throw new DataFormatException($"{sourceName}: the file is empty; expected a header row and data rows");
        var header = new string[records.FieldCount];
        for (int c = 0; c < header.Length; c++) header[c] = records.FieldText(c);
        CheckHeader(header, sourceName);
        int t = FindTarget(header, target, sourceName);

        var x = new List<float>();
        var targets = new List<string>();
        var targetLines = new List<int>();
        while (records.Read())
        {
            int line = records.LineNumber;
            if (records.FieldCount != header.Length)
                throw new DataFormatException($"{sourceName}: line {line} has {records.FieldCount} fields, expected {header.Length}");
            for (int c = 0; c < header.Length; c++)
            {
                if (c == t) continue;
                x.Add(ParseFeature(records.Field(c), sourceName, line, header[c], c));
            }
            if (records.Field(t).Length == 0)
                throw new DataFormatException($"{sourceName}: line {line}, column '{header[t]}' ({t + 1}): the target value is empty");
            targets.Add(records.FieldText(t));
            targetLines.Add(line);
        }
        if (targets.Count == 0)
            throw new DataFormatException($"{sourceName}: the file has a header row but no data rows");

        var featureNames = new string[header.Length - 1];
        for (int c = 0, f = 0; c < header.Length; c++)
            if (c != t) featureNames[f++] = header[c];

        (float[] y, int classes, string[]? classNames) = BuildTarget(targets, targetLines, sourceName, header[t], t);
        return new Dataset
        {
            Name = Path.GetFileNameWithoutExtension(sourceName), X = x.ToArray(), Y = y, Count = targets.Count,
            Features = featureNames.Length, Classes = classes, FeatureNames = featureNames, ClassNames = classNames,
        };
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

    private static (float[] Y, int Classes, string[]? ClassNames) BuildTarget(
        List<string> targets, List<int> lines, string source, string column, int c)
    {
        var values = new double[targets.Count];
        bool numeric = true;
        for (int i = 0; i < values.Length && numeric; i++)
            numeric = double.TryParse(targets[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]);
        return numeric ? NumericTarget(values, targets, lines, source, column, c) : TextTarget(targets, source, column);
    }

    private static (float[] Y, int Classes, string[]? ClassNames) TextTarget(List<string> targets, string source, string column)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var y = new float[targets.Count];
        for (int i = 0; i < y.Length; i++)
        {
            if (!index.TryGetValue(targets[i], out int k))
            {
                k = names.Count;
                index.Add(targets[i], k);
                names.Add(targets[i]);
            }
            y[i] = k;
        }
        if (names.Count < 2)
            throw new DataFormatException(
                $"{source}: target column '{column}' has only one label ('{names[0]}'); classification needs at least 2");
        return (y, names.Count, names.ToArray());
    }

    private static (float[] Y, int Classes, string[]? ClassNames) NumericTarget(
        double[] values, List<string> texts, List<int> lines, string source, string column, int c)
    {
        var distinct = new SortedSet<double>();
        bool integral = true;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!float.IsFinite((float)v))
                throw new DataFormatException(
                    $"{source}: line {lines[i]}, column '{column}' ({c + 1}): target '{texts[i]}' is not a finite number (NaN, infinity or beyond float range)");
            if (v != Math.Floor(v)) integral = false;
            else if (distinct.Count <= MaxNumericClasses) distinct.Add(v);
        }

        var y = new float[values.Length];
        if (!integral || distinct.Count < 2 || distinct.Count > MaxNumericClasses)
        {
            for (int i = 0; i < y.Length; i++) y[i] = float.Parse(texts[i], NumberStyles.Float, CultureInfo.InvariantCulture);
            return (y, 0, null);
        }

        var sorted = new double[distinct.Count];
        distinct.CopyTo(sorted);
        var names = new string[sorted.Length];
        for (int k = 0; k < sorted.Length; k++) names[k] = sorted[k].ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < y.Length; i++) y[i] = Array.BinarySearch(sorted, values[i]);
        return (y, sorted.Length, names);
    }
}
