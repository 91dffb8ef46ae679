using TrainingService.Engine.Layers;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Search;

/// <summary>
/// Random search (CS231n's "strategy #1" and "#2"): each step samples <c>candidates</c> weight vectors —
/// fresh from the initializer's distribution (<c>init</c>) or the best so far plus σ·N(0, 1) noise
/// (<c>local</c>) — evaluates them and the incumbent on the batch, and keeps the best.
/// </summary>
public sealed class RandomSearch : GradientFreeTrainer
{
    public static SearchEntry Entry { get; } = new("random_search", 110,
        "random search (gradient-free): each step samples candidate weight vectors and keeps the best",
        [
            SearchEntry.StepSize,
            SpecField.Integer("candidates", "candidates sampled per step", 1, 10_000).WithDefault(10),
            SpecField.Choice("sampling", "init = fresh weights from the initializer, local = the best so far + σ·N(0, 1)", ["init", "local"]).WithDefault("init"),
        ],
        (f, s) => new RandomSearch(s.Network, s.Seed, f.Integer("candidates"), f.Choice("sampling"), f.Number("stepSize"), s.Init));

    private readonly int _candidates;
    private readonly bool _local;
    private readonly double _sigma;
    private readonly string _init;
    private readonly float[] _best;

    public RandomSearch(Network net, long seed, int candidates, string sampling, double stepSize, string init) : base(net, seed)
    {
        _candidates = candidates; _local = sampling == "local"; _sigma = stepSize; _init = init;
        _best = new float[Current.Length];
    }

    public override string Name => "random_search";
    public override double StepScale => _local ? _sigma : 0;

    protected override double Iterate(Func<double> loss, out long evaluations)
    {
        double bestLoss = Evaluate(Current, loss);
        Current.CopyTo(_best, 0);
        evaluations = 1;
        for (int c = 0; c < _candidates; c++)
        {
            if (_local) Perturb(Current, Scratch, _sigma);
            else
            {
                Network.Initialize(_init, Rng);
                Network.CopyParametersTo(Scratch);
            }
            double l = Evaluate(Scratch, loss);
            evaluations++;
            // NaN never wins: a comparison with NaN is false.
            if (l < bestLoss) { bestLoss = l; Scratch.CopyTo(_best, 0); }
        }
        _best.CopyTo(Current, 0);
        Network.SetFlatParameters(Current);
        return bestLoss;
    }
}
