using System.Globalization;

namespace TrainingService.Engine.Vocabulary;

/// <summary>An entry's fields for one run, every one set (defaults filled in): what its factory reads.</summary>
public sealed class FieldValues(IReadOnlyDictionary<string, object> values)
{
    public double Number(string name) => Convert.ToDouble(Get(name), CultureInfo.InvariantCulture);
    public int Integer(string name) => Convert.ToInt32(Get(name), CultureInfo.InvariantCulture);
    public bool Boolean(string name) => (bool)Get(name);
    public string Choice(string name) => (string)Get(name);

    private object Get(string name) =>
        values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"no value for field '{name}'", nameof(name));
}
