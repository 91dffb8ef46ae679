using TrainingService.Engine.Gradients;
using System.Diagnostics;
using System.Text.Json;
using TrainingService.Engine.Data;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;

namespace TrainingService.Cli;

/// <summary><c>train SPEC.json</c>: runs the job locally, one line per epoch, the summary as one JSON line last.</summary>
public static class TrainCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? specPath = null, saveModel = null;
        string dataDir = "data";
        int threads = 1;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data-dir": dataDir = Value(args, ref i); break;
                case "--save-model": saveModel = Value(args, ref i); break;
                case "--threads":
                    string t = Value(args, ref i);
                    if (!int.TryParse(t, out threads) || threads < 1 || threads > 256)
                        throw new CliUsageException($"--threads expects an integer between 1 and 256, got '{t}'");
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal)) throw new CliUsageException($"unknown option '{args[i]}'");
                    if (specPath is not null) throw new CliUsageException($"unexpected argument '{args[i]}'");
                    specPath = args[i];
                    break;
            }
        }
        if (specPath is null) throw new CliUsageException("train needs a SPEC.json");
        if (!File.Exists(specPath)) { stderr.WriteLine($"error: spec file '{specPath}' not found"); return 2; }

        Kernels.Threads = threads;
        // Compile the engine's training step on the idle core while this thread reads the spec and loads the data:
        // first for the usual kind of run, then (below) for the spec's own kind if it differs.
        _ = JitWarmup.Start(JitWarmup.Typical);
        TrainingSession session;
        try
        {
            RunSpec spec = SpecJson.Parse(File.ReadAllText(specPath));
            _ = JitWarmup.Start(spec);
            session = TrainingSession.Create(spec, dataDir);
        }
        catch (SpecException ex)
        {
            stderr.WriteLine($"error: invalid spec '{specPath}':");
            foreach (var e in ex.Errors) stderr.WriteLine($"  {e.Path}: {e.Message}");
            return 2;
        }
        catch (DataFormatException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return 2;
        }

        var s = session.Spec;
        // A perceptron as its sizes (784-128-10 relu); a layer stack as its layers' kinds and output shapes.
        string network = s.Model!.Layers is null
            ? $"{session.Network.Inputs}-{string.Join("-", s.Model.Hidden!)}{(s.Model.Hidden!.Count > 0 ? "-" : "")}{session.Network.Outputs} {s.Model.Activation}"
            : $"{session.Network.InputShape} → {string.Join(" → ", session.Network.Layers.Select(l => $"{l.Kind}{(l.Parameters.Count > 0 && l.Activation.Name != "identity" ? "+" + l.Activation.Name : "")} {l.Output}"))}";
        stdout.WriteLine($"{s.Name}: {session.DatasetName} ({session.Train.Count} train / {session.Validation.Count} validation / {session.Test.Count} test), " +
                         $"{network}, " +
                         $"{session.Network.ParameterCount:N0} parameters, {s.Optimizer!.Type} lr {s.Optimizer.LearningRate}, batch {session.BatchSize}, seed {s.Seed}, {threads} thread(s)");
        var result = session.Run(new ConsoleProgress(stdout, s.Epochs!.Value));
        if (saveModel is not null) File.WriteAllText(saveModel, ModelFile.From(session).ToJson());

        var sum = result.Summary;
        var line = new Dictionary<string, object?>
        {
            ["status"] = result.Outcome.ToString().ToLowerInvariant(),
            ["error"] = result.Error,
            ["samplesPerSecond"] = Math.Round(sum.SamplesPerSecond, 1),
            ["trainSeconds"] = Math.Round(sum.TrainSeconds, 4),
            ["finalTrainLoss"] = sum.TrainLoss,
            ["trainAccuracy"] = sum.TrainAccuracy,
            ["validationLoss"] = sum.ValidationLoss,
            ["validationAccuracy"] = sum.ValidationAccuracy,
            ["testLoss"] = sum.TestLoss,
            ["testAccuracy"] = sum.TestAccuracy,
            ["steps"] = sum.Steps,
            ["epochs"] = result.EpochsCompleted,
            ["earlyStoppedAtEpoch"] = result.EarlyStoppedAtEpoch,
            ["bestEpoch"] = result.BestEpoch,
            ["parameters"] = session.Network.ParameterCount,
            ["threads"] = threads,
            ["seed"] = s.Seed,
            ["peakWorkingSetMB"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
        };
        if (sum.SuggestedLearningRate is { } suggested)
        {
            // A range_test run (the learning-rate finder): its suggestion and the other candidate.
            line["suggestedLearningRate"] = suggested;
            line["minimumLearningRateOverTen"] = sum.MinimumLearningRateOverTen;
        }
        if (result.GradientCheck is { } gc)
        {
            line["gradientCheckMaxRelativeError"] = gc.LayerMaxRelativeError;
            line["gradientCheckKinkEntries"] = gc.LayerKinkEntries;
        }
        stdout.WriteLine(JsonSerializer.Serialize(line, SpecJson.Options));
        return result.Outcome == RunOutcome.Succeeded ? 0 : 1;
    }

    private static string Value(string[] args, ref int i) =>
        i + 1 < args.Length ? args[++i] : throw new CliUsageException($"{args[i]} needs a value");

    /// <summary>One line per epoch.</summary>
    private sealed class ConsoleProgress(TextWriter stdout, int epochs) : ITrainingObserver
    {
        public void OnEpoch(EpochMetrics e, TrainingSession session) =>
            stdout.WriteLine($"epoch {e.Epoch}/{epochs}  train loss {e.TrainLoss:G5}" +
                             (e.TrainAccuracy is { } ta ? $" acc {ta:P2}" : "") +
                             (e.ValidationLoss is { } vl ? $"  validation loss {vl:G5}" : "") +
                             (e.ValidationAccuracy is { } va ? $" acc {va:P2}" : "") +
                             $"  lr {e.LearningRate:G4}");

        public void OnGradientCheck(GradientCheckResult r) =>
            stdout.WriteLine($"gradient check (backprop vs central differences), max relative error per layer: {string.Join(", ", r.LayerMaxRelativeError.Select(v => v.ToString("E2")))}" +
                             (r.KinkEntries > 0 ? $" ({r.KinkEntries} entries straddling a relu kink left out)" : ""));
    }
}
