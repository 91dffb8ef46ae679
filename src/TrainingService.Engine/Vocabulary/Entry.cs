namespace TrainingService.Engine.Vocabulary;

/// <summary>One word of the spec's vocabulary (an optimizer, a loss, a schedule, …): its name, a one-line description
/// and the fields it takes.</summary>
public class Entry(string name, string description, IReadOnlyList<SpecField>? fields = null)
{
    public string Name { get; } = name;
    public string Description { get; } = description;
    public IReadOnlyList<SpecField> Fields { get; } = fields ?? [];

    /// <summary>Position in lists where the registry gathers entries from their own files (optimizers: the order the
    /// subject is taught).</summary>
    public int Order { get; init; }

    /// <summary>A check across fields on the filled-in values (nesterov needs momentum &gt; 0): the field at fault and what
    /// was expected, or null.</summary>
    public Func<FieldValues, (string Field, string Message)?>? Rule { get; init; }

    public SpecField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    /// <summary>The fields' names, for messages ("adam takes learningRate, beta1, …").</summary>
    public string FieldList => Fields.Count == 0 ? "no fields" : string.Join(", ", Fields.Select(f => f.Name));
}

/// <summary>An entry and the factory that builds what it names.</summary>
public sealed class Entry<TFactory>(string name, string description, TFactory create, IReadOnlyList<SpecField>? fields = null)
    : Entry(name, description, fields)
{
    public TFactory Create { get; } = create;
}
