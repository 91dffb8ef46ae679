using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Data;

/// <summary>One entry of <see cref="DatasetCatalog.List"/>: what a name passed to <see cref="DatasetCatalog.Load"/> gives.</summary>
/// <param name="Kind">"synthetic", "surface" (a 2-D test function), "builtin" (one of <see cref="BuiltInDatasets"/>),
/// "mnist" (IDX files in the data directory, in place of the built-in one), "csv" or "images" (an uploaded image set).</param>
/// <param name="Task">"classification" or "regression"; "unknown" for a file that cannot be read (see Description).</param>
/// <param name="Classes">0 for regression; null where unknown.</param>
/// <param name="Rows">For synthetic data, the default sample count.</param>
/// <param name="Shape">One sample's C×H×W for image sets (1×8×8 digits, 1×28×28 MNIST); null for tables and
/// where unknown (a table's sample is its <paramref name="Features"/>).</param>
public sealed record DatasetInfo(
    string Name, string Kind, string Task, int? Features, int? Classes, int? Rows, string Description, Shape? Shape = null);
