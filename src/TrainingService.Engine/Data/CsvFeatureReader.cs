using System.Globalization;

namespace TrainingService.Engine.Data;

/// <summary>
/// Reads feature rows for prediction from a CSV with a header: the model's feature columns by name when the
/// header has them all (extra columns, such as the target, are ignored), otherwise every column in order.
/// </summary>
public static class CsvFeatureReader
{
    public static List<float[]> Read(TextReader reader, string source, string[]? featureNames, int inputs)
    {
        var csv = new CsvRecordReader(reader, source);
        if (!csv.Read()) throw new DataFormatException($"{source}: the file is empty; expected a header row and {inputs} feature columns");
        var header = new string[csv.FieldCount];
        for (int i = 0; i < header.Length; i++) header[i] = csv.FieldText(i).Trim();
        int[] columns;
        if (featureNames is not null && featureNames.All(n => Array.IndexOf(header, n) >= 0))
            columns = featureNames.Select(n => Array.IndexOf(header, n)).ToArray();
        else if (header.Length == inputs)
            columns = Enumerable.Range(0, inputs).ToArray();
        else
            throw new DataFormatException($"{source}: line 1 has {header.Length} columns; expected {inputs} features" +
                (featureNames is null ? "" : $" or a header naming {string.Join(", ", featureNames)}"));

        var rows = new List<float[]>();
        while (csv.Read())
        {
            if (csv.FieldCount != header.Length)
                throw new DataFormatException($"{source}: line {csv.LineNumber} has {csv.FieldCount} fields, expected {header.Length}");
            var row = new float[columns.Length];
            for (int j = 0; j < columns.Length; j++)
            {
                string text = csv.FieldText(columns[j]).Trim();
                if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out row[j]) || !float.IsFinite(row[j]))
                    throw new DataFormatException($"{source}: line {csv.LineNumber}, column '{header[columns[j]]}' ({columns[j] + 1}): '{text}' is not a finite number");
            }
            rows.Add(row);
        }
        return rows;
    }
}
