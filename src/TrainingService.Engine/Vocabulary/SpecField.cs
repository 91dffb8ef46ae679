using System.Globalization;
using System.Text.Json.Serialization;

namespace TrainingService.Engine.Vocabulary;

/// <summary>What a field holds: JSON Schema's number, integer, boolean; a string from a closed list (choice) or free
/// text; a list of integers.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FieldType>))]
public enum FieldType
{
    [JsonStringEnumMemberName("number")] Number,
    [JsonStringEnumMemberName("integer")] Integer,
    [JsonStringEnumMemberName("boolean")] Boolean,
    [JsonStringEnumMemberName("choice")] Choice,
    [JsonStringEnumMemberName("text")] Text,
    [JsonStringEnumMemberName("integers")] Integers,
}

/// <summary>
/// One field of a spec: its JSON name, type, default and allowed values — what the validator checks, the defaults fill
/// in, the form shows and the API documents. Declared once, beside the thing that reads it (an optimizer's fields in its
/// own file).
/// </summary>
public sealed record SpecField(string Name, FieldType Type, string Description)
{
    /// <summary>double, int, bool or string by <see cref="Type"/>; null when the field has no default.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public object? Default { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Min { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Max { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool MinExclusive { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool MaxExclusive { get; init; }
    /// <summary>The allowed values of a <see cref="FieldType.Choice"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Values { get; init; }

    public static SpecField Number(string name, string description, double min, double max, bool minExclusive = false, bool maxExclusive = false) =>
        new(name, FieldType.Number, description) { Min = min, Max = max, MinExclusive = minExclusive, MaxExclusive = maxExclusive };

    public static SpecField Integer(string name, string description, int min, int max) =>
        new(name, FieldType.Integer, description) { Min = min, Max = max };

    public static SpecField Boolean(string name, string description) => new(name, FieldType.Boolean, description);

    public static SpecField Choice(string name, string description, IReadOnlyList<string> values) =>
        new(name, FieldType.Choice, description) { Values = values };

    public static SpecField Text(string name, string description) => new(name, FieldType.Text, description);

    /// <summary>This field with <paramref name="value"/> as its default (an int for an integer field, …).</summary>
    public SpecField WithDefault(object value) => this with { Default = value };

    /// <summary>Null when <paramref name="value"/> is allowed, else what was expected, with the value.</summary>
    public string? Check(object value)
    {
        switch (Type)
        {
            case FieldType.Choice:
                string s = (string)value;
                return Values!.Contains(s) ? null : $"'{Quote(s)}' is not one of: {string.Join(", ", Values!)}";
            case FieldType.Integer:
                long n = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                if ((Min is null || n >= Min) && (Max is null || n <= Max)) return null;
                return Max is null ? $"must be ≥ {Min}, got {n}" : $"must be between {Min} and {Max}, got {n}";
            case FieldType.Number:
                double v = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                bool ok = double.IsFinite(v) && (MinExclusive ? v > Min : v >= Min) && (MaxExclusive ? v < Max : v <= Max);
                return ok ? null : $"must be in {(MinExclusive ? "(" : "[")}{Min}, {Max}{(MaxExclusive ? ")" : "]")}, got {v}";
            default:
                return null;
        }
    }

    private static string Quote(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "…");
}
