using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Training;

/// <summary>A built-in dataset: synthetic (a generator, with samples and noise), surface or mnist.</summary>
public sealed class DatasetEntry(string name, string kind, string description, IReadOnlyList<SpecField> fields) : Entry(name, description, fields)
{
    public string Kind { get; } = kind;
}
