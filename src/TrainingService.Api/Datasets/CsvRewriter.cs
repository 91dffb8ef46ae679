using System.Globalization;
using System.Text;
using TrainingService.Engine.Data;

namespace TrainingService.Api.Datasets;

/// <summary>Writes a loaded CSV dataset back with its target as the last column. Features print round-trip exact
/// ("R"), labels as their original text, rows in their original order (so classes keep their order of appearance).</summary>
public static class CsvRewriter
{
    public static string TargetLast(Dataset d, string targetName)
    {
        var sb = new StringBuilder();
        var names = d.FeatureNames ?? Enumerable.Range(0, d.Features).Select(i => $"x{i}").ToArray();
        sb.AppendJoin(',', names.Select(Quote)).Append(',').Append(Quote(targetName)).Append('\n');
        for (int i = 0; i < d.Count; i++)
        {
            var row = d.Row(i);
            for (int j = 0; j < row.Length; j++) sb.Append(row[j].ToString("R", CultureInfo.InvariantCulture)).Append(',');
            float y = d.Y[i];
            sb.Append(d.ClassNames is { } cn ? Quote(cn[(int)y]) : y.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
