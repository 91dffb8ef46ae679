using TrainingService.Engine.Optimizers;

namespace TrainingService.Engine.Training;

/// <summary>Builds an optimizer from a filled-in <see cref="OptimizerSpec"/>.</summary>
public static class OptimizerFactory
{
    /// <summary>Gradient-descent optimizers, in the order the subject is taught.</summary>
    public static readonly string[] GradientTypes = ["sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "adamw"];

    /// <summary>PyTorch's defaults where it has one; SGD's (which PyTorch leaves to the user) is 0.1.</summary>
    public static double DefaultLearningRate(string type) => type switch
    {
        "sgd" => 0.1,
        "momentum" or "nesterov" => 0.05,
        "adagrad" => 0.01,
        "adadelta" => 1.0,
        "rmsprop" => 0.01,
        "adam" or "adamw" => 0.001,
        _ => 0.01,
    };

    public static double DefaultEpsilon(string type) => type switch
    {
        "adagrad" => 1e-10,
        "adadelta" => 1e-6,
        _ => 1e-8,
    };

    /// <exception cref="ArgumentException">unknown type or a hyperparameter out of range (named, with its value)</exception>
    public static Optimizer Create(OptimizerSpec s)
    {
        string type = s.Type ?? "adam";
        double lr = s.LearningRate ?? DefaultLearningRate(type);
        double wd = s.WeightDecay ?? (type == "adamw" ? 0.01 : 0.0);
        double eps = s.Epsilon ?? DefaultEpsilon(type);
        return type switch
        {
            "sgd" => new Sgd(lr, wd),
            "momentum" => new Momentum(lr, s.Momentum ?? 0.9, wd),
            "nesterov" => new Nesterov(lr, s.Momentum ?? 0.9, wd),
            "adagrad" => new Adagrad(lr, eps, wd),
            "adadelta" => new Adadelta(lr, s.Rho ?? 0.9, eps, wd),
            "rmsprop" => new RmsProp(lr, s.Alpha ?? 0.99, eps, wd),
            "adam" => new Adam(lr, s.Beta1 ?? 0.9, s.Beta2 ?? 0.999, eps, wd),
            "adamw" => new AdamW(lr, s.Beta1 ?? 0.9, s.Beta2 ?? 0.999, eps, wd),
            _ => throw new ArgumentException($"unknown optimizer type '{type}'; expected one of {string.Join(", ", GradientTypes)}", nameof(s)),
        };
    }
}
