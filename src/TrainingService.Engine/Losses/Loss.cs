namespace TrainingService.Engine.Losses;

/// <summary>Creates losses by their spec name.</summary>
public static class Loss
{
    public static readonly string[] Names = ["mse", "l1", "bce", "cross_entropy"];

    public static ILoss Create(string name) => name switch
    {
        "mse" => new MeanSquaredError(),
        "l1" => new MeanAbsoluteError(),
        "bce" => new BinaryCrossEntropy(),
        "cross_entropy" => new CrossEntropy(),
        _ => throw new ArgumentException($"unknown loss '{name}'; expected one of {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>The output activation a loss requires, or null when any is allowed (mse, l1).</summary>
    public static string? RequiredOutputActivation(string loss) => loss switch
    {
        "cross_entropy" => "softmax",
        "bce" => "sigmoid",
        _ => null,
    };
}
