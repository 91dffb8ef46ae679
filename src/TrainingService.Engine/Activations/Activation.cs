namespace TrainingService.Engine.Activations;

/// <summary>Creates activations by their spec name.</summary>
public static class Activation
{
    /// <summary>Names accepted for hidden layers.</summary>
    public static readonly string[] HiddenNames = ["identity", "step", "sigmoid", "tanh", "relu", "leaky_relu"];

    /// <summary>Names accepted for the output layer (softmax only with cross_entropy).</summary>
    public static readonly string[] OutputNames = ["identity", "step", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"];

    public static IActivation Create(string name) => name switch
    {
        "identity" or "linear" => new Identity(),
        "step" => new Step(),
        "sigmoid" => new Sigmoid(),
        "tanh" => new Tanh(),
        "relu" => new Relu(),
        "leaky_relu" => new LeakyRelu(),
        "softmax" => new Softmax(),
        _ => throw new ArgumentException($"unknown activation '{name}'; expected one of {string.Join(", ", OutputNames)}", nameof(name)),
    };
}
