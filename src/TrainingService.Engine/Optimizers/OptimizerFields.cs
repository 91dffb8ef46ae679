using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Optimizers;

/// <summary>The hyperparameters optimizers share, each with its range (as torch.optim's constructors check them); the
/// default is the optimizer's own.</summary>
public static class OptimizerFields
{
    public static SpecField LearningRate(double @default) =>
        SpecField.Number("learningRate", "step size η", 0, 1000, minExclusive: true).WithDefault(@default);

    public static SpecField Momentum(double @default) =>
        SpecField.Number("momentum", "μ, the velocity's decay", 0, 1, maxExclusive: true).WithDefault(@default);

    public static SpecField Beta1(double @default) =>
        SpecField.Number("beta1", "β₁, decay of the first-moment average", 0, 1, maxExclusive: true).WithDefault(@default);

    public static SpecField Beta2(double @default) =>
        SpecField.Number("beta2", "β₂, decay of the second-moment average", 0, 1, maxExclusive: true).WithDefault(@default);

    public static SpecField Epsilon(double @default) =>
        SpecField.Number("epsilon", "ε, added to the denominator for numerical stability", 0, 1, minExclusive: true).WithDefault(@default);

    public static SpecField WeightDecay(double @default) =>
        SpecField.Number("weightDecay", "weight decay (L2 penalty added to the gradient; decoupled for adamw)", 0, 10).WithDefault(@default);

    /// <summary>Every gradient optimizer's; 0 = off.</summary>
    public static readonly SpecField ClipNorm =
        SpecField.Number("clipNorm", "clip the gradients' global L2 norm to this before the update (0 = off)", 0, 1e6).WithDefault(0.0);
}
