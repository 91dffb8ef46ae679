using System.Globalization;
using System.Text.Json;
using TrainingService.Engine.Training;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Cli;

/// <summary><c>spec [--json]</c>: the spec vocabulary from the engine's registry — every optimizer, schedule, activation,
/// loss, init, gradient mode, layer kind and built-in dataset with its fields, defaults and ranges (as <c>GET /api/spec</c>).</summary>
public static class SpecCommand
{
    public static int Run(string[] args, TextWriter stdout)
    {
        if (args is ["--json"])
        {
            stdout.WriteLine(JsonSerializer.Serialize(VocabularyDocument.Current, SpecJson.Options));
            return 0;
        }
        if (args.Length > 0) throw new CliUsageException($"unexpected argument '{args[0]}'");
        var doc = VocabularyDocument.Current;
        stdout.WriteLine("spec fields:");
        foreach (var f in doc.Fields) stdout.WriteLine($"  {Describe(f)}");
        foreach (var (title, entries) in new[]
        {
            ("optimizers", doc.Optimizers), ("schedules (optimizer.schedule.type)", doc.Schedules), ("activations", doc.Activations),
            ("losses", doc.Losses), ("inits (model.init)", doc.Inits), ("gradients", doc.Gradients), ("layer kinds", doc.Layers),
            ("built-in datasets", doc.Datasets),
        })
        {
            stdout.WriteLine($"{title}:");
            foreach (var e in entries)
            {
                stdout.WriteLine($"  {e.Name}{(e.Kind is null ? "" : $" ({e.Kind})")}: {e.Description}");
                foreach (var f in e.Fields) stdout.WriteLine($"      {Describe(f)}");
            }
        }
        return 0;
    }

    /// <summary>"beta2 = 0.999  number in [0, 1): β₂, decay of the second-moment average".</summary>
    private static string Describe(SpecField f)
    {
        string type = f.Type switch
        {
            FieldType.Choice => $"one of {string.Join(", ", f.Values!)}",
            FieldType.Number => $"number in {(f.MinExclusive ? "(" : "[")}{Num(f.Min)}, {Num(f.Max)}{(f.MaxExclusive ? ")" : "]")}",
            FieldType.Integer => $"integer in [{Num(f.Min)}, {Num(f.Max)}]",
            FieldType.Integers => $"integers in [{Num(f.Min)}, {Num(f.Max)}]",
            _ => f.Type.ToString().ToLowerInvariant(),
        };
        string value = f.Default switch
        {
            null => "",
            int[] list => $" = [{string.Join(", ", list)}]",
            bool b => b ? " = true" : " = false",
            IFormattable n => $" = {n.ToString(null, CultureInfo.InvariantCulture)}",
            var d => $" = {d}",
        };
        return $"{f.Name}{value}  {type}: {f.Description}";
    }

    /// <summary>A bound; none above is ∞.</summary>
    private static string Num(double? v) => v is null || v >= double.MaxValue ? "∞" : v.Value.ToString(CultureInfo.InvariantCulture);
}
