using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Losses;

/// <summary>The losses by their spec name.</summary>
public static class Loss
{
    public static IReadOnlyList<Entry<Func<ILoss>>> Entries { get; } =
    [
        new("mse", "mean squared error (PyTorch's MSELoss)", () => new MeanSquaredError()),
        new("l1", "mean absolute error (PyTorch's L1Loss)", () => new MeanAbsoluteError()),
        new("bce", "binary cross-entropy on a sigmoid output (PyTorch's BCEWithLogitsLoss)", () => new BinaryCrossEntropy()),
        new("cross_entropy", "softmax cross-entropy with class targets (PyTorch's cross_entropy)", () => new CrossEntropy()),
    ];

    public static readonly string[] Names = [.. Entries.Select(e => e.Name)];

    public static ILoss Create(string name) =>
        Entries.FirstOrDefault(e => e.Name == name)?.Create()
        ?? throw new ArgumentException($"unknown loss '{name}'; expected one of {string.Join(", ", Names)}", nameof(name));

    /// <summary>The output activation a loss requires, or null when any is allowed (mse, l1).</summary>
    public static string? RequiredOutputActivation(string loss) => loss switch
    {
        "cross_entropy" => "softmax",
        "bce" => "sigmoid",
        _ => null,
    };
}
