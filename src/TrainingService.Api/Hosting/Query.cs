using System.Globalization;

namespace TrainingService.Api.Hosting;

/// <summary>Query-string numbers parsed here rather than by binding, so a bad value is a 400 naming the parameter.</summary>
public static class Query
{
    public static bool TryLong(string? text, string name, long fallback, long min, long max, out long value, Dictionary<string, string[]> errors)
    {
        value = fallback;
        if (string.IsNullOrEmpty(text)) return true;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max) return true;
        errors[name] = [$"must be an integer from {min} to {max}, got '{text}'"];
        return false;
    }

    public static bool TryInt(string? text, string name, int fallback, int min, int max, out int value, Dictionary<string, string[]> errors)
    {
        bool ok = TryLong(text, name, fallback, min, max, out long v, errors);
        value = (int)v;
        return ok;
    }

    public static bool TryDouble(string? text, string name, out double? value, Dictionary<string, string[]> errors)
    {
        value = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)) { value = v; return true; }
        errors[name] = [$"must be a finite number, got '{text}'"];
        return false;
    }

    public static bool TryBool(string? text, string name, bool fallback, out bool value, Dictionary<string, string[]> errors)
    {
        value = fallback;
        if (string.IsNullOrEmpty(text)) return true;
        if (bool.TryParse(text, out value)) return true;
        errors[name] = [$"must be true or false, got '{text}'"];
        return false;
    }
}
