namespace TrainingService.Engine.Data;

/// <summary>One entry of <see cref="DatasetCatalog.List"/>: what a name passed to <see cref="DatasetCatalog.Load"/> gives.</summary>
/// <param name="Kind">"synthetic", "surface" (a 2-D test function), "mnist", "csv" or "images" (an uploaded image set).</param>
/// <param name="Task">"classification" or "regression"; "unknown" for a file that cannot be read (see Description).</param>
/// <param name="Classes">0 for regression; null where unknown.</param>
/// <param name="Rows">For synthetic data, the default sample count.</param>
public sealed record DatasetInfo(
    string Name, string Kind, string Task, int? Features, int? Classes, int? Rows, string Description)
{
    /// <summary>One sample's C×H×W where the listing knows it (image sets); null otherwise.</summary>
    public Tensors.Shape? Shape { get; init; }
}
