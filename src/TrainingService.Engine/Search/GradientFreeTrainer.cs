using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Search;

/// <summary>
/// A trainer that never computes a gradient: it only evaluates the loss at chosen weight vectors. One
/// <see cref="Step"/> is one iteration (a batch of candidates, one climb, one generation); afterwards the
/// network holds the best weights found and the step reports that loss and the evaluations it spent.
/// These are the baselines gradient descent is measured against, and the only way to train a step
/// (perceptron) activation.
/// </summary>
public abstract class GradientFreeTrainer
{
    protected GradientFreeTrainer(Network net, long seed)
    {
        Network = net;
        Rng = Rng.ForStream(seed, "search");
        Current = net.GetFlatParameters();
        Scratch = new float[Current.Length];
    }

    public abstract string Name { get; }
    protected Network Network { get; }
    protected Rng Rng { get; }
    /// <summary>The weights the network holds between steps.</summary>
    protected float[] Current { get; }
    protected float[] Scratch { get; }

    /// <summary>The scale reported in a step's learningRate field (σ, the perturbation size).</summary>
    public abstract double StepScale { get; }

    private CancellationToken _cancellation;

    /// <summary>One iteration on the current batch, whose loss <paramref name="loss"/> evaluates at the network's weights.
    /// A population of thousands on a large batch makes one iteration minutes long, so <paramref name="cancellationToken"/>
    /// is observed before every evaluation. A cancelled iteration leaves the incumbent loaded in the network; only the RNG
    /// has moved on, which does not matter: a cancelled run ends, or resumes from a checkpoint that restores it.</summary>
    /// <exception cref="OperationCanceledException">the token was cancelled</exception>
    public double Step(Func<double> loss, out long evaluations, CancellationToken cancellationToken = default)
    {
        _cancellation = cancellationToken;
        try
        {
            return Iterate(loss, out evaluations);
        }
        catch (OperationCanceledException)
        {
            // Every trainer evaluates before it changes anything, so the incumbent is intact: load it back.
            Network.SetFlatParameters(Current);
            throw;
        }
        finally
        {
            _cancellation = default;
        }
    }

    /// <summary>The algorithm's iteration. Every loss it computes goes through <see cref="Evaluate"/>, and Current, the
    /// population and σ change only after its last evaluation.</summary>
    protected abstract double Iterate(Func<double> loss, out long evaluations);

    /// <summary>Loss at <paramref name="weights"/>, leaving them loaded in the network.</summary>
    protected double Evaluate(float[] weights, Func<double> loss)
    {
        _cancellation.ThrowIfCancellationRequested();
        Network.SetFlatParameters(weights);
        return loss();
    }

    /// <summary>x ← x + σ·N(0, 1) element-wise.</summary>
    protected void Perturb(ReadOnlySpan<float> from, Span<float> to, double sigma)
    {
        for (int i = 0; i < from.Length; i++) to[i] = from[i] + (float)(sigma * Rng.NextGaussian());
    }

    public SearchState ExportState() => new(Rng.GetState(), ExportVectors(), ExportScalars());

    public void ImportState(SearchState state)
    {
        Rng.SetState(state.RngState);
        ImportVectors(state.Vectors);
        ImportScalars(state.Scalars);
    }

    protected virtual float[][] ExportVectors() => [(float[])Current.Clone()];
    protected virtual void ImportVectors(float[][] vectors) => vectors[0].CopyTo(Current, 0);
    protected virtual double[] ExportScalars() => [];
    protected virtual void ImportScalars(double[] scalars) { }
}

/// <summary>What a gradient-free trainer carries between steps.</summary>
public sealed record SearchState(ulong[] RngState, float[][] Vectors, double[] Scalars);
