using TrainingService.Engine.Data;

namespace TrainingService.Api.Datasets;

/// <summary>
/// A dataset a run can name. <see cref="Id"/> is the name (runs name datasets by it). <see cref="Kind"/>: synthetic,
/// surface (a 2-D test function f(w, b)), builtin (a real dataset shipped with the service: iris, wine, breast_cancer,
/// digits, mnist), mnist (IDX files in the data directory, in place of the built-in one), csv (a file in the data
/// directory) or upload (a CSV or an image set; the only kind that can be replaced or deleted). Synthetic generators carry their default
/// samples and noise. <see cref="Shape"/> is one sample's [channels, height, width] for image sets, [features] for
/// tables; null where unknown.
/// </summary>
public record DatasetDto(
    string Id,
    string Name,
    string Kind,
    string Task,
    int? Features,
    int? Classes,
    bool Regression,
    int? Rows,
    string Description,
    int? DefaultSamples = null,
    double? DefaultNoise = null,
    int[]? Shape = null)
{
    public static DatasetDto From(DatasetInfo d, bool uploaded)
    {
        var gen = d.Kind == "synthetic" ? SyntheticDatasets.Find(d.Name) : null;
        int[]? shape = d.Shape is { } s ? [s.Channels, s.Height, s.Width] : d.Features is int f && d.Kind != "surface" ? [f] : null;
        return new(d.Name, d.Name, uploaded ? "upload" : d.Kind, d.Task, d.Features, d.Classes, d.Task == "regression", d.Rows,
            d.Description, gen?.DefaultSamples, gen?.DefaultNoise, shape);
    }
}
