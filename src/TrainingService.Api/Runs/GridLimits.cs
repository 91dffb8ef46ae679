using System.Globalization;

namespace TrainingService.Api.Runs;

/// <summary>The work one loss-landscape or decision-boundary request may do (<c>Training__MaxGridCost</c>): grid points ×
/// rows evaluated per point × the model's parameters, known before any of it is done.</summary>
internal static class GridLimits
{
    /// <summary>Null when a resolution² grid fits the limit; else the <c>resolution</c> error, naming the largest that fits.</summary>
    public static string? Check(int resolution, long rowsPerPoint, long parameters, long maxCost)
    {
        double perPoint = (double)rowsPerPoint * parameters;
        double cost = (double)resolution * resolution * perPoint;
        if (cost <= maxCost) return null;
        long largest = (long)Math.Sqrt(maxCost / perPoint);
        while (largest > 0 && (double)largest * largest * perPoint > maxCost) largest--;
        string perPointText = string.Create(CultureInfo.InvariantCulture,
            $"{rowsPerPoint} row{(rowsPerPoint == 1 ? "" : "s")} × {parameters} parameters per grid point");
        string limit = string.Create(CultureInfo.InvariantCulture, $"over Training__MaxGridCost = {maxCost}");
        return largest >= 2
            ? string.Create(CultureInfo.InvariantCulture, $"at most {largest} for this run ({perPointText}: resolution {resolution} costs {cost:G3}, {limit})")
            : string.Create(CultureInfo.InvariantCulture, $"this run is too large for any grid ({perPointText}: even resolution 2 costs {4 * perPoint:G3}, {limit})");
    }
}
