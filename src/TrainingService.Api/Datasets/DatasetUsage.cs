using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrainingService.Data;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Datasets;

/// <summary>Which queued or running runs train on an upload: those must keep it as it is (a run loads its dataset
/// when it starts and again whenever it resumes), so deleting or replacing it is refused while any does.</summary>
internal static class DatasetUsage
{
    /// <param name="listedName">The upload's id: <c>foo</c>, which runs name as <c>foo</c> or <c>foo.csv</c>, or
    /// <c>foo.csv</c> when <c>foo</c> means a built-in (then only <c>foo.csv</c> names the upload).</param>
    public static async Task<long[]> ActiveRunsAsync(TrainingDbContext db, string listedName, CancellationToken ct)
    {
        bool dotted = listedName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        string stem = dotted ? listedName[..^4] : listedName;
        var active = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Queued || r.Status == RunStatus.Running)
            .Select(r => new { r.Id, r.SpecJson })
            .ToListAsync(ct);
        return [.. active
            .Where(r => DatasetName(r.SpecJson) is { } n && (n == stem + ".csv" || !dotted && n == stem))
            .Select(r => r.Id)
            .Order()];
    }

    private static string? DatasetName(string specJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(specJson);
            return doc.RootElement.TryGetProperty("dataset", out var d) && d.ValueKind == JsonValueKind.Object
                && d.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
