using System.Text.Json.Serialization;
using TrainingService.Engine.Search;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Training;

/// <summary><see cref="SpecVocabulary"/> as data (what <c>GET /api/spec</c> returns and the CLI's <c>spec</c> prints):
/// the spec's own fields by JSON path, then each list of entries with their fields.</summary>
public sealed record VocabularyDocument(
    IReadOnlyList<SpecField> Fields,
    IReadOnlyList<EntryDocument> Optimizers,
    IReadOnlyList<EntryDocument> Schedules,
    IReadOnlyList<EntryDocument> Activations,
    IReadOnlyList<EntryDocument> Losses,
    IReadOnlyList<EntryDocument> Inits,
    IReadOnlyList<EntryDocument> Gradients,
    IReadOnlyList<EntryDocument> Layers,
    IReadOnlyList<EntryDocument> Datasets)
{
    public static VocabularyDocument Current { get; } = new(
        SpecVocabulary.RunFields,
        [.. SpecVocabulary.Optimizers.Select(o => Of(o, o is SearchEntry ? "gradient-free" : "gradient"))],
        [.. SpecVocabulary.Schedules.Select(e => Of(e))],
        [.. SpecVocabulary.Activations.Select(e => Of(e))],
        [.. SpecVocabulary.Losses.Select(e => Of(e))],
        [.. SpecVocabulary.Inits.Select(e => Of(e))],
        [.. SpecVocabulary.Gradients.Select(e => Of(e))],
        [.. SpecVocabulary.Layers.Select(e => Of(e))],
        [.. SpecVocabulary.Datasets.Select(d => Of(d, d.Kind))]);

    private static EntryDocument Of(Entry e, string? kind = null) => new(e.Name, e.Description, e.Fields, kind);
}

/// <summary>One entry: its name, kind where a list mixes kinds (optimizers: gradient or gradient-free; datasets: synthetic,
/// surface, mnist), a one-line description and its fields.</summary>
public sealed record EntryDocument(
    string Name, string Description, IReadOnlyList<SpecField> Fields,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Kind);
