using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Activations;

/// <summary>The activations by their spec name.</summary>
public static class Activation
{
    /// <summary>Every activation, hidden-layer ones first; softmax only as the output of cross_entropy.</summary>
    public static IReadOnlyList<Entry<Func<IActivation>>> Entries { get; } =
    [
        new("identity", "a = z (linear)", () => new Identity()),
        new("step", "a = 1 if z > 0 else 0: no gradient, so only gradient-free optimizers train it", () => new Step()),
        new("sigmoid", "a = 1 / (1 + e^−z)", () => new Sigmoid()),
        new("tanh", "a = tanh z", () => new Tanh()),
        new("relu", "a = max(0, z)", () => new Relu()),
        new("leaky_relu", "a = z if z > 0 else 0.01·z (PyTorch's default slope)", () => new LeakyRelu()),
        new("softmax", "a = e^z / Σ e^z over the outputs: the output of cross_entropy only", () => new Softmax()),
    ];

    /// <summary>Names accepted for the output layer (softmax only with cross_entropy).</summary>
    public static readonly string[] OutputNames = [.. Entries.Select(e => e.Name)];

    /// <summary>Names accepted for hidden layers.</summary>
    public static readonly string[] HiddenNames = [.. OutputNames.Where(n => n != "softmax")];

    public static IActivation Create(string name) =>
        name == "linear" ? new Identity()
        : Entries.FirstOrDefault(e => e.Name == name)?.Create()
          ?? throw new ArgumentException($"unknown activation '{name}'; expected one of {string.Join(", ", OutputNames)}", nameof(name));
}
