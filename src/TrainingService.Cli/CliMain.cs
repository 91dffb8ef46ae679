namespace TrainingService.Cli;

/// <summary>Command dispatch. Exit codes: 0 success, 1 the run failed or diverged, 2 bad usage, spec or data.</summary>
public static class CliMain
{
    public const string Usage =
        "usage:\n" +
        "  train SPEC.json [--data-dir DIR] [--threads N] [--save-model FILE]\n" +
        "  predict MODEL.json INPUT.csv\n" +
        "  spec [--json]   the spec vocabulary: optimizers, schedules, activations, losses, … with fields, defaults, ranges";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return args.Length == 0 ? UsageError(stderr, "no command given")
                : args[0] switch
                {
                    "train" => TrainCommand.Run(args[1..], stdout, stderr),
                    "predict" => PredictCommand.Run(args[1..], stdout, stderr),
                    "spec" => SpecCommand.Run(args[1..], stdout),
                    "-h" or "--help" or "help" => Help(stdout),
                    _ => UsageError(stderr, $"unknown command '{args[0]}'"),
                };
        }
        catch (CliUsageException ex)
        {
            return UsageError(stderr, ex.Message);
        }
    }

    private static int Help(TextWriter stdout) { stdout.WriteLine(Usage); return 0; }

    internal static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine($"error: {message}");
        stderr.WriteLine(Usage);
        return 2;
    }
}

/// <summary>Bad command-line input: reported with the usage text and exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
