using TrainingService.Engine.Layers;

namespace TrainingService.Engine.Optimizers;

/// <summary>
/// Base of the gradient-descent family, after torch.optim: one call to <see cref="Step"/> per batch, the
/// rule applied element-wise to every parameter tensor, each with its own state tensors created lazily
/// on the first step. Weight decay (classic L2, PyTorch's <c>weight_decay</c>) adds wd·θ to the gradient
/// inside the update; the parameters' Grad buffers are never modified.
/// </summary>
public abstract class Optimizer
{
    private float[][][]? _state; // [parameter][slot][element]
    private double _learningRate;

    protected Optimizer(double learningRate, double weightDecay)
    {
        LearningRate = learningRate;
        WeightDecay = Hyper.NonNegative("weightDecay", weightDecay);
    }

    /// <summary>The spec name ("sgd", "adam", …).</summary>
    public abstract string Name { get; }

    /// <summary>Current learning rate; schedules change it between epochs.</summary>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = Hyper.Positive("learningRate", value);
    }

    public double WeightDecay { get; }

    /// <summary>t: the number of updates applied so far (1 during the first update).</summary>
    public long StepCount { get; private set; }

    /// <summary>State tensors per parameter (momentum buffer, squared-gradient average, …).</summary>
    protected abstract int SlotsPerParameter { get; }

    /// <summary>Applies one update to every parameter from its Grad.</summary>
    public void Step(IReadOnlyList<Parameter> parameters)
    {
        _state ??= CreateState(parameters);
        if (_state.Length != parameters.Count) throw new InvalidOperationException("the optimizer was created for a different parameter list");
        StepCount++;
        for (int i = 0; i < parameters.Count; i++) Update(parameters[i].Data, parameters[i].Grad, _state[i]);
    }

    /// <summary>One update of θ from g for one tensor; <paramref name="state"/> holds its slots.</summary>
    protected abstract void Update(Span<float> theta, ReadOnlySpan<float> grad, float[][] state);

    /// <summary>Initial value of a state slot (0 unless the algorithm says otherwise).</summary>
    protected virtual float InitialStateValue(int slot) => 0f;

    private float[][][] CreateState(IReadOnlyList<Parameter> parameters)
    {
        var state = new float[parameters.Count][][];
        for (int i = 0; i < parameters.Count; i++)
        {
            state[i] = new float[SlotsPerParameter][];
            for (int s = 0; s < SlotsPerParameter; s++)
            {
                state[i][s] = new float[parameters[i].Length];
                float init = InitialStateValue(s);
                if (init != 0f) Array.Fill(state[i][s], init);
            }
        }
        return state;
    }

    /// <summary>A deep copy of t, the learning rate and every state tensor, for checkpoints.</summary>
    public OptimizerState ExportState() => new(StepCount, LearningRate, _state is null ? null : DeepCopy(_state));

    public void ImportState(OptimizerState state)
    {
        StepCount = state.StepCount;
        LearningRate = state.LearningRate;
        _state = state.Slots is null ? null : DeepCopy(state.Slots);
    }

    private static float[][][] DeepCopy(float[][][] s)
    {
        var copy = new float[s.Length][][];
        for (int i = 0; i < s.Length; i++)
        {
            copy[i] = new float[s[i].Length][];
            for (int j = 0; j < s[i].Length; j++) copy[i][j] = (float[])s[i][j].Clone();
        }
        return copy;
    }
}

/// <summary>Everything an optimizer carries between steps.</summary>
public sealed record OptimizerState(long StepCount, double LearningRate, float[][][]? Slots);
