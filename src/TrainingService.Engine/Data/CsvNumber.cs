using System.Globalization;

namespace TrainingService.Engine.Data;

/// <summary>
/// Parses a CSV number to float, correctly rounded, with a fast path for the plain decimals that make up almost
/// every numeric CSV ("0", "255", "-3.25"): float.TryParse costs ~80 ns a field, which dominated loading
/// MNIST-sized CSVs. Fast path (Clinger): when the digits form an integer m &lt; 2^24 and there are at most 10
/// decimals, m and 10^decimals are exact floats, so the single IEEE division m / 10^decimals is correctly rounded,
/// the same result the full parser gives. Everything else (exponents, long mantissas, NaN, whitespace) falls back
/// to float.TryParse with invariant culture.
/// </summary>
internal static class CsvNumber
{
    private static readonly float[] PowersOfTen = [1f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];

    public static bool TryParse(ReadOnlySpan<char> s, out float value) =>
        TryParseSimple(s, out value)
        || float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TryParseSimple(ReadOnlySpan<char> s, out float value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (i < s.Length && s[i] is '-' or '+') negative = s[i++] == '-';
        int mantissa = 0, digits = 0, decimals = -1;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '.')
            {
                if (decimals >= 0) return false;
                decimals = 0;
                continue;
            }
            uint d = (uint)(c - '0');
            if (d > 9) return false;
            mantissa = mantissa * 10 + (int)d;
            if (mantissa >= 1 << 24) return false;
            digits++;
            if (decimals >= 0 && ++decimals >= PowersOfTen.Length) return false;
        }
        if (digits == 0) return false;
        float v = decimals > 0 ? mantissa / PowersOfTen[decimals] : mantissa;
        value = negative ? -v : v;
        return true;
    }
}
