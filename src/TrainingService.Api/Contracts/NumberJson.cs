using System.Globalization;
using System.Text;

namespace TrainingService.Api.Contracts;

/// <summary>
/// JSON arrays of numbers written by hand for the metric pump's hot path (every stored step has one): shortest
/// round-trip text, as System.Text.Json writes them, and non-finite values as the named literals (<c>"NaN"</c>,
/// <c>"Infinity"</c>) that <see cref="RunSummary.JsonOptions"/> reads back.
/// </summary>
public static class NumberJson
{
    public static string Array(ReadOnlySpan<double> values)
    {
        var sb = new StringBuilder(2 + values.Length * 24);
        sb.Append('[');
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) sb.Append(',');
            Append(sb, values[i]);
        }
        return sb.Append(']').ToString();
    }

    public static string Array(ReadOnlySpan<float> values)
    {
        var sb = new StringBuilder(2 + values.Length * 16);
        sb.Append('[');
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) sb.Append(',');
            float v = values[i];
            if (float.IsFinite(v)) sb.Append(v.ToString("R", CultureInfo.InvariantCulture));
            else Named(sb, v);
        }
        return sb.Append(']').ToString();
    }

    public static void Append(StringBuilder sb, double v)
    {
        if (double.IsFinite(v)) sb.Append(v.ToString("R", CultureInfo.InvariantCulture));
        else Named(sb, v);
    }

    private static void Named(StringBuilder sb, double v) =>
        sb.Append('"').Append(double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity").Append('"');
}
