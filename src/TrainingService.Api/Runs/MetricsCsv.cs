using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Rollups;
using TrainingService.Data;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Runs;

/// <summary>
/// Metrics as CSV, streamed from the database to the response a page of <see cref="Page"/> rows at a time, so memory
/// stays at one page whatever the run's length. Steps: step, epoch, loss, gradNorm, learningRate, elapsedMs,
/// lossEvaluations, examplesSeen, then one <c>layerGradNormN</c> column per layer (as many as the widest run has);
/// with several runs a leading <c>runId</c> column. Epochs: epoch, trainLoss, trainAccuracy, validationLoss,
/// validationAccuracy, learningRate. Empty cells for figures a row does not have.
/// </summary>
public static class MetricsCsv
{
    public const int Page = 4096;

    public static async Task WriteStepsAsync(IDbContextFactory<TrainingDbContext> dbf, IReadOnlyList<long> runIds, bool withRunId, Stream body, CancellationToken ct)
    {
        await using var db = await dbf.CreateDbContextAsync(ct);
        int layers = 0;
        foreach (long runId in runIds)
        {
            string? first = await db.StepMetrics.Where(m => m.RunId == runId).OrderBy(m => m.Step).Select(m => m.LayerGradNorms).FirstOrDefaultAsync(ct);
            if (first is not null) layers = Math.Max(layers, JsonSerializer.Deserialize<double[]>(first)?.Length ?? 0);
        }
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 1 << 16);
        if (withRunId) await writer.WriteAsync("runId,");
        var header = new StringBuilder("step,epoch,loss,gradNorm,learningRate,elapsedMs,lossEvaluations,examplesSeen");
        for (int l = 0; l < layers; l++) header.Append(",layerGradNorm").Append(l);
        await writer.WriteAsync(header.Append('\n'), ct);

        var line = new StringBuilder();
        foreach (long runId in runIds)
        {
            await foreach (var rows in StepPages.ReadAsync(db, runId, Page, ct))
            {
                foreach (var m in rows)
                {
                    line.Clear();
                    if (withRunId) line.Append(runId).Append(',');
                    AppendStep(line, m, layers);
                    await writer.WriteAsync(line, ct);
                }
                await writer.FlushAsync(ct);
            }
        }
    }

    /// <summary>One row, written from the stored columns as they are: the layer norms' JSON array (round-trip numbers,
    /// as System.Text.Json writes them) becomes the row's tail without being parsed.</summary>
    private static void AppendStep(StringBuilder sb, StepMetric m, int layers)
    {
        sb.Append(m.Step).Append(',').Append(m.Epoch).Append(',').Append(Num(m.Loss)).Append(',')
          .Append(m.GradNorm is { } g ? Num(g) : "").Append(',').Append(Num(m.LearningRate)).Append(',').Append(Num(m.ElapsedMs)).Append(',')
          .Append(m.LossEvaluations?.ToString(CultureInfo.InvariantCulture)).Append(',').Append(m.ExamplesSeen?.ToString(CultureInfo.InvariantCulture));
        var norms = m.LayerGradNorms.AsSpan().Trim().Trim('[').Trim(']');
        int written = 0;
        if (!norms.IsEmpty)
        {
            sb.Append(',');
            if (norms.Contains('"')) sb.Append(norms.ToString().Replace("\"", "")); // "NaN", "Infinity": written as named literals
            else sb.Append(norms);
            written = norms.Count(',') + 1;
        }
        for (; written < layers; written++) sb.Append(',');
        sb.Append('\n');
    }

    public static async Task WriteEpochsAsync(IDbContextFactory<TrainingDbContext> dbf, long runId, Stream body, CancellationToken ct)
    {
        await using var db = await dbf.CreateDbContextAsync(ct);
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 1 << 16);
        await writer.WriteAsync("epoch,trainLoss,trainAccuracy,validationLoss,validationAccuracy,learningRate\n");
        var line = new StringBuilder();
        await foreach (EpochMetric e in db.EpochMetrics.AsNoTracking().Where(m => m.RunId == runId).OrderBy(m => m.Epoch).AsAsyncEnumerable().WithCancellation(ct))
        {
            line.Clear().Append(e.Epoch).Append(',').Append(Num(e.TrainLoss)).Append(',').Append(Opt(e.TrainAccuracy)).Append(',')
                .Append(Opt(e.ValidationLoss)).Append(',').Append(Opt(e.ValidationAccuracy)).Append(',').Append(Num(e.LearningRate)).Append('\n');
            await writer.WriteAsync(line, ct);
        }
    }

    private static string Opt(double? v) => v is { } x ? Num(x) : "";

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
