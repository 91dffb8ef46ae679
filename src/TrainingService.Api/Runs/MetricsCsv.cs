using System.Globalization;
using System.Text;

namespace TrainingService.Api.Runs;

/// <summary>Step metrics as CSV: step, epoch, loss, gradNorm, learningRate, elapsedMs, then one
/// <c>layerGradNormN</c> column per layer; with several runs a leading <c>runId</c> column.</summary>
public static class MetricsCsv
{
    public static string Write(IReadOnlyList<(long RunId, IReadOnlyList<StepPoint> Steps)> runs, bool withRunId)
    {
        int layers = runs.SelectMany(r => r.Steps).Select(s => s.LayerGradNorms.Length).DefaultIfEmpty(0).Max();
        var sb = new StringBuilder();
        if (withRunId) sb.Append("runId,");
        sb.Append("step,epoch,loss,gradNorm,learningRate,elapsedMs");
        for (int l = 0; l < layers; l++) sb.Append(",layerGradNorm").Append(l);
        sb.Append('\n');
        foreach (var (runId, steps) in runs)
            foreach (var s in steps)
            {
                if (withRunId) sb.Append(runId).Append(',');
                sb.Append(s.Step).Append(',').Append(s.Epoch).Append(',').Append(Num(s.Loss)).Append(',')
                  .Append(s.GradNorm is { } g ? Num(g) : "").Append(',').Append(Num(s.LearningRate)).Append(',').Append(Num(s.ElapsedMs));
                for (int l = 0; l < layers; l++)
                    sb.Append(',').Append(l < s.LayerGradNorms.Length ? Num(s.LayerGradNorms[l]) : "");
                sb.Append('\n');
            }
        return sb.ToString();
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
