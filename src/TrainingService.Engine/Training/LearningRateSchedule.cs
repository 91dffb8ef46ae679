using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Training;

/// <summary>
/// Learning-rate schedules after torch.optim.lr_scheduler, stepped once per epoch with base rate η₀:
/// step η₀·γ^⌊e/s⌋; exponential η₀·γ^e; cosine η_min + (η₀ − η_min)(1 + cos(π e/T))/2 with T = epochs;
/// reduce_on_plateau multiplies by factor once the monitored loss has failed to improve (relative
/// threshold 1e-4, PyTorch's default) for more than patience epochs; as in PyTorch a reduction by less than
/// eps = 1e-8 is skipped (the rate stays, the patience count restarts), so the rate stops falling near 1e-8.
/// range_test (the learning-rate finder, Smith 2017 / fast.ai lr_find) is stepped every step instead:
/// η_k = min·(max/min)^((k−1)/(steps−1)) for step k = 1…steps, and the run ends at step <c>steps</c> or when the loss
/// explodes (<see cref="RangeTest"/>).
/// </summary>
public sealed class LearningRateSchedule
{
    private static SpecField Gamma(double @default) =>
        SpecField.Number("gamma", "γ, the multiplicative decay", 0, 1, minExclusive: true).WithDefault(@default);

    /// <summary>The schedules as the spec names them, with their fields (a <see cref="ScheduleSpec"/>'s).</summary>
    public static IReadOnlyList<Entry> Entries { get; } =
    [
        new("constant", "the learning rate stays η₀"),
        new("step", "η₀·γ^⌊epoch/stepSize⌋ (PyTorch's StepLR)",
        [
            SpecField.Integer("stepSize", "epochs between decays", 1, 100_000).WithDefault(10),
            Gamma(0.1),
        ]),
        new("exponential", "η₀·γ^epoch (PyTorch's ExponentialLR)", [Gamma(0.95)]),
        new("cosine", "η_min + (η₀ − η_min)(1 + cos(π·epoch/epochs))/2 (PyTorch's CosineAnnealingLR, T = epochs)",
            [SpecField.Number("minLearningRate", "η_min, the floor", 0, 1000).WithDefault(0.0)]),
        new("reduce_on_plateau", "multiply by factor when the validation loss (else the training loss) stalls (PyTorch's ReduceLROnPlateau)",
        [
            SpecField.Number("factor", "multiplicative decay when the loss stalls", 0, 1, minExclusive: true, maxExclusive: true).WithDefault(0.1),
            SpecField.Integer("patience", "epochs without improvement before decaying", 0, 100_000).WithDefault(10),
        ]),
        new("range_test", "the learning-rate finder: min·(max/min)^((step−1)/(steps−1)) every step; the run ends at steps or when the loss explodes",
        [
            SpecField.Number("minLearningRate", "the first step's rate", 0, 1000, minExclusive: true).WithDefault(1e-7),
            SpecField.Number("maxLearningRate", "the rate at the last step", 0, 1000, minExclusive: true).WithDefault(10.0),
            SpecField.Integer("steps", "steps from min to max", 2, 100_000).WithDefault(100),
        ])
        {
            Rule = v => v.Number("maxLearningRate") > v.Number("minLearningRate") ? null
                : ("maxLearningRate", $"must be greater than minLearningRate ({v.Number("minLearningRate")})"),
        },
    ];

    /// <summary>The range test's name: a schedule stepped every step, which also ends the run.</summary>
    public const string RangeTestType = "range_test";

    private const double PlateauThreshold = 1e-4;
    /// <summary>PyTorch's ReduceLROnPlateau eps: the smallest reduction applied.</summary>
    public const double PlateauEps = 1e-8;
    private readonly ScheduleSpec _spec;
    private readonly double _baseLr;
    private readonly int _epochs;

    public LearningRateSchedule(ScheduleSpec spec, double baseLearningRate, int epochs)
    {
        _spec = spec; _baseLr = baseLearningRate; _epochs = epochs;
        Current = IsRangeTest ? RateAtStep(1) : baseLearningRate;
    }

    /// <summary>Whether this is the range test: a rate for every step (<see cref="RateAtStep"/>), not every epoch.</summary>
    public bool IsRangeTest => _spec.Type == RangeTestType;

    /// <summary>range_test: the steps from min to max (the run's length unless the loss explodes first).</summary>
    public int RangeSteps => _spec.Steps!.Value;

    /// <summary>range_test: the rate of step <paramref name="step"/> (1-based): min at step 1, max at step <c>steps</c>.</summary>
    public double RateAtStep(long step)
    {
        double min = _spec.MinLearningRate!.Value, max = _spec.MaxLearningRate!.Value;
        long last = _spec.Steps!.Value - 1;
        if (step <= 1) return min;
        if (step - 1 >= last) return max;
        return min * Math.Pow(max / min, (double)(step - 1) / last);
    }

    public double Current { get; private set; }
    public double Best { get; private set; } = double.PositiveInfinity;
    public int BadEpochs { get; private set; }

    /// <summary>Called after epoch <paramref name="epochsDone"/> (1-based); returns the rate for the next epoch.</summary>
    public double OnEpochEnd(int epochsDone, double monitoredLoss)
    {
        Current = _spec.Type switch
        {
            "step" => _baseLr * Math.Pow(_spec.Gamma!.Value, epochsDone / _spec.StepSize!.Value),
            "exponential" => _baseLr * Math.Pow(_spec.Gamma!.Value, epochsDone),
            "cosine" => _spec.MinLearningRate!.Value + (_baseLr - _spec.MinLearningRate.Value) * (1 + Math.Cos(Math.PI * Math.Min(epochsDone, _epochs) / _epochs)) / 2,
            "reduce_on_plateau" => Plateau(monitoredLoss),
            RangeTestType => Current, // set every step by the loop
            _ => Current,
        };
        // A cosine floor of 0 would reach exactly 0 at the last epoch, which no optimizer accepts.
        if (Current <= 0) Current = double.Epsilon;
        return Current;
    }

    private double Plateau(double loss)
    {
        if (loss < Best * (1 - PlateauThreshold)) { Best = loss; BadEpochs = 0; return Current; }
        if (++BadEpochs > _spec.Patience!.Value)
        {
            BadEpochs = 0;
            double reduced = Current * _spec.Factor!.Value;
            return Current - reduced > PlateauEps ? reduced : Current;
        }
        return Current;
    }

    /// <summary>What a checkpoint keeps: the rate and the plateau tracking.</summary>
    public ScheduleState State => new(Current, Best, BadEpochs);

    public void Restore(ScheduleState s) => (Current, Best, BadEpochs) = (s.Current, s.Best, s.BadEpochs);
}

/// <summary>A schedule's position: the current rate, and for reduce_on_plateau the best loss and the epochs since.</summary>
public readonly record struct ScheduleState(double Current, double Best, int BadEpochs);
