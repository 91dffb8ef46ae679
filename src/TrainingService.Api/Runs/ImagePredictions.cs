using Microsoft.AspNetCore.Http.HttpResults;
using TrainingService.Api.Datasets;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Engine.Data;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Runs;

/// <summary>
/// <c>POST /api/runs/{id}/predict</c> with image files (multipart, any field name): each is prepared exactly as the
/// run's dataset was (<see cref="ImagePixels"/>: resized to its C×H×W, converted to its channels, / 255) and predicted
/// like a row (the run's standardisation applies). The input shape comes from the run's image set; for other datasets
/// a model of s² inputs is taken as one grey s×s channel (MNIST 28×28, digits 8×8).
/// </summary>
internal static class ImagePredictions
{
    public const int MaxFiles = 100;

    public static async Task<Results<Ok<PredictResponse>, JsonHttpResult<ImagePredictResponse>, ValidationProblem, ProblemHttpResult>> PredictAsync(
        long id, HttpRequest request, ModelFile model, TrainingDbContext db, TrainingOptions options, CancellationToken ct)
    {
        if (model.Task != "classification") return Problems.Invalid("files", $"run {id} is a regression model; send feature rows as JSON");
        string dataset = model.Spec is { } spec ? SpecDefaults.DatasetName(spec) : "";
        await UploadMirror.EnsureAsync(db, options.DataDirectory, dataset, ct);
        if (InputShape(dataset, model, options.DataDirectory) is not { } shape)
            return Problems.Invalid("files", $"run {id} was trained on '{dataset}' ({model.Inputs} features), not on images; send feature rows as JSON");

        var form = await request.ReadFormAsync(ct);
        if (form.Files.Count == 0) return Problems.Invalid("files", "send one or more image files (multipart/form-data)");
        if (form.Files.Count > MaxFiles) return Problems.Invalid("files", $"at most {MaxFiles} images per call, got {form.Files.Count}");
        var rows = new List<float[]>(form.Files.Count);
        var errors = new List<SpecError>();
        for (int i = 0; i < form.Files.Count; i++)
        {
            var file = form.Files[i];
            byte[] data;
            await using (var stream = file.OpenReadStream())
            {
                data = new byte[file.Length];
                await stream.ReadExactlyAsync(data, ct);
            }
            try
            {
                if (ImagePixels.Decode(data, shape.Width, shape.Height, options.MaxImagePixels) is { } rgb) rows.Add(rgb.ToRow(shape));
                else errors.Add(new($"files[{i}]", $"'{file.FileName}' is not an image ({ImagePixels.Formats})"));
            }
            catch (ImagePixels.TooLargeException e)
            {
                errors.Add(new($"files[{i}]", $"'{file.FileName}' is {e.Message}; at most {options.MaxImagePixels} pixels (Training__MaxImagePixels)"));
            }
        }
        if (errors.Count > 0) return Problems.Invalid(SpecError.Cap(errors));

        var predictions = new Predictor(model).Predict(rows);
        string[] classes = model.ClassNames ?? Enumerable.Range(0, Math.Max(2, predictions[0].Output.Length)).Select(c => c.ToString()).ToArray();
        var answers = predictions.Select((p, i) => new ImagePrediction(form.Files[i].FileName, p.Class, p.Label, Probabilities(p.Output))).ToList();
        return TypedResults.Json(new ImagePredictResponse([shape.Channels, shape.Height, shape.Width], classes, answers));
    }

    /// <summary>Softmax outputs are the probabilities; a single sigmoid output p is [1 − p, p].</summary>
    private static float[] Probabilities(float[] output) => output.Length == 1 ? [1 - output[0], output[0]] : output;

    private static Shape? InputShape(string dataset, ModelFile model, string dataDirectory)
    {
        string path = Path.Combine(UploadStore.Folder(dataDirectory), dataset + ImageSetFile.Extension);
        if (dataset.Length > 0 && !dataset.Contains('/') && !dataset.Contains('\\') && !dataset.Contains("..") && File.Exists(path))
        {
            var (_, shape, _) = ImageSetFile.Describe(path, dataset);
            return shape.Size == model.Inputs ? shape : null;
        }
        int side = (int)Math.Round(Math.Sqrt(model.Inputs));
        return side > 1 && side * side == model.Inputs ? new Shape(1, side, side) : null;
    }
}

/// <summary>The multipart form of an image prediction (documentation only).</summary>
public sealed class PredictImagesForm
{
    /// <summary>One or more PNG, JPEG, BMP or GIF images, any size: each is resized and converted as the run's dataset was.</summary>
    public required IFormFileCollection Files { get; init; }
}

/// <summary>Per file, in the order sent: the predicted class, its name, and the probability of every class
/// (<see cref="ClassNames"/> order). <see cref="Shape"/> is what each image was made: [channels, height, width].</summary>
public sealed record ImagePredictResponse(int[] Shape, string[] ClassNames, IReadOnlyList<ImagePrediction> Predictions);

public sealed record ImagePrediction(string File, int? Class, string? Label, float[] Probabilities);
