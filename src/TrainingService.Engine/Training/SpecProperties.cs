using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace TrainingService.Engine.Training;

/// <summary>
/// A spec object's fields by their JSON names (the camelCase of the property), so that a vocabulary entry's list of
/// fields, not code written per optimizer, says which ones a run uses, validates them and fills them in. Only the
/// scalar fields: <c>type</c> names the entry and nested objects (<c>schedule</c>) are handled by their owner.
/// </summary>
internal static class SpecProperties<T> where T : class
{
    private static readonly (string Name, PropertyInfo Property)[] Fields =
    [
        .. typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "Type" && IsScalar(p.PropertyType))
            .Select(p => (JsonNamingPolicy.CamelCase.ConvertName(p.Name), p)),
    ];

    public static bool Has(string name) => Fields.Any(f => f.Name == name);

    /// <summary>The fields that <paramref name="spec"/> sets, in declaration order.</summary>
    public static IEnumerable<(string Name, object Value)> Set(T spec)
    {
        foreach (var (name, p) in Fields)
            if (p.GetValue(spec) is { } value) yield return (name, value);
    }

    public static object? Get(T spec, string name) => Property(name).GetValue(spec);

    /// <summary>Sets a field, converting a default's number to the property's type (an int default into a double?).</summary>
    public static void Put(T spec, string name, object? value)
    {
        var p = Property(name);
        var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        p.SetValue(spec, value is null ? null : Convert.ChangeType(value, type, CultureInfo.InvariantCulture));
    }

    private static PropertyInfo Property(string name) =>
        Fields.FirstOrDefault(f => f.Name == name).Property ?? throw new ArgumentException($"{typeof(T).Name} has no field '{name}'", nameof(name));

    private static bool IsScalar(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        return t.IsPrimitive || t == typeof(string) || t == typeof(double);
    }
}
