using TrainingService.Engine.Layers;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Search;

/// <summary>
/// Stochastic hill climbing with an adaptive step: perturb every weight by σ·N(0, 1); keep the move if the
/// batch loss falls. σ grows by 1.5 after an accepted move and shrinks by 1.5^(−1/4) after a rejected
/// one, so it settles where about one move in five succeeds (Rechenberg's 1/5 success rule).
/// </summary>
public sealed class HillClimbing : GradientFreeTrainer
{
    public static SearchEntry Entry { get; } = new("hill_climbing", 120,
        "stochastic hill climbing (gradient-free): keep a σ·N(0, 1) move when the loss falls; σ adapts (1/5 success rule)",
        [SearchEntry.StepSize], (f, s) => new HillClimbing(s.Network, s.Seed, f.Number("stepSize")));

    private const double Grow = 1.5;
    private static readonly double Shrink = Math.Pow(1.5, -0.25);
    private double _sigma;

    public HillClimbing(Network net, long seed, double stepSize) : base(net, seed) => _sigma = stepSize;

    public override string Name => "hill_climbing";
    public override double StepScale => _sigma;

    protected override double Iterate(Func<double> loss, out long evaluations)
    {
        double here = Evaluate(Current, loss);
        Perturb(Current, Scratch, _sigma);
        double there = Evaluate(Scratch, loss);
        evaluations = 2;
        if (there < here)
        {
            Scratch.CopyTo(Current, 0);
            _sigma *= Grow;
            return there;
        }
        _sigma = Math.Max(_sigma * Shrink, 1e-8);
        Network.SetFlatParameters(Current);
        return here;
    }

    protected override double[] ExportScalars() => [_sigma];
    protected override void ImportScalars(double[] scalars) => _sigma = scalars[0];
}
