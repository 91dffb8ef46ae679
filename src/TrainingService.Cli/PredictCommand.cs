using TrainingService.Engine.Data;
using TrainingService.Engine.Training;

namespace TrainingService.Cli;

/// <summary><c>predict MODEL.json INPUT.csv</c>: one line per input row (the class label, or the output values).</summary>
public static class PredictCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 2) throw new CliUsageException("predict needs MODEL.json and INPUT.csv");
        string modelPath = args[0], inputPath = args[1];
        foreach (string p in args)
            if (!File.Exists(p)) { stderr.WriteLine($"error: file '{p}' not found"); return 2; }
        try
        {
            var model = ModelFile.FromJson(File.ReadAllText(modelPath));
            var predictor = new Predictor(model);
            using var reader = new StreamReader(inputPath);
            var rows = CsvFeatureReader.Read(reader, inputPath, model.FeatureNames, predictor.Inputs);
            foreach (var p in predictor.Predict(rows))
                stdout.WriteLine(p.Class is { } c ? (p.Label ?? c.ToString()) : string.Join(",", p.Output.Select(v => v.ToString("G7", System.Globalization.CultureInfo.InvariantCulture))));
            return 0;
        }
        catch (Exception ex) when (ex is InvalidDataException or DataFormatException or System.Text.Json.JsonException or ArgumentException)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }
}
