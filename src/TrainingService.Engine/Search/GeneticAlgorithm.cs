using TrainingService.Engine.Layers;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Search;

/// <summary>
/// A generational genetic algorithm over flat weight vectors (Montana &amp; Davis 1989 trained networks this
/// way). Each step evaluates every individual on the batch, copies the <c>elitism</c> best unchanged, and
/// fills the rest with children: two parents by tournament selection (the best of <c>tournamentSize</c>
/// random picks), uniform crossover with probability <c>crossoverRate</c> (else a copy of the first
/// parent), then each gene mutated with probability <c>mutationRate</c> by σ·N(0, 1). The first population
/// is drawn from the initializer.
/// </summary>
public sealed class GeneticAlgorithm : GradientFreeTrainer
{
    public static SearchEntry Entry { get; } = new("genetic", 130,
        "genetic algorithm (gradient-free): tournament selection, uniform crossover and gaussian mutation of weight vectors",
        [
            SearchEntry.StepSize,
            SpecField.Integer("populationSize", "individuals per generation", 2, 10_000).WithDefault(50),
            SpecField.Number("mutationRate", "probability that a gene (one weight) is mutated", 0, 1).WithDefault(0.05),
            SpecField.Number("crossoverRate", "probability that a child is a uniform crossover of two parents", 0, 1).WithDefault(0.9),
            SpecField.Integer("elitism", "best individuals copied unchanged into the next generation", 0, 9_999).WithDefault(2),
            SpecField.Integer("tournamentSize", "individuals per selection tournament", 1, 10_000).WithDefault(3),
        ],
        (f, s) => new GeneticAlgorithm(s.Network, s.Seed, s.Init, f.Integer("populationSize"), f.Number("mutationRate"), f.Number("crossoverRate"),
            f.Integer("elitism"), f.Integer("tournamentSize"), f.Number("stepSize")),
        f => f.Integer("elitism") >= f.Integer("populationSize")
            ? ("elitism", $"must be between 0 and populationSize − 1 ({f.Integer("populationSize") - 1}), got {f.Integer("elitism")}")
            : f.Integer("tournamentSize") > f.Integer("populationSize")
            ? ("tournamentSize", $"must be between 1 and populationSize ({f.Integer("populationSize")}), got {f.Integer("tournamentSize")}")
            : null);

    private readonly float[][] _population, _next;
    private readonly double[] _fitness;
    private readonly int[] _rank;
    private readonly double _mutationRate, _crossoverRate, _sigma;
    private readonly int _elitism, _tournament;

    public GeneticAlgorithm(Network net, long seed, string init, int populationSize, double mutationRate, double crossoverRate,
        int elitism, int tournamentSize, double stepSize) : base(net, seed)
    {
        (_mutationRate, _crossoverRate, _elitism, _tournament, _sigma) = (mutationRate, crossoverRate, elitism, tournamentSize, stepSize);
        _population = new float[populationSize][];
        _next = new float[populationSize][];
        _fitness = new double[populationSize];
        _rank = new int[populationSize];
        _population[0] = (float[])Current.Clone(); // the seeded initial network is one of them
        for (int i = 1; i < populationSize; i++)
        {
            net.Initialize(init, Rng);
            _population[i] = net.GetFlatParameters();
        }
        for (int i = 0; i < populationSize; i++) _next[i] = new float[Current.Length];
        net.SetFlatParameters(Current);
    }

    public override string Name => "genetic";
    public override double StepScale => _sigma;

    protected override double Iterate(Func<double> loss, out long evaluations)
    {
        int n = _population.Length;
        for (int i = 0; i < n; i++)
        {
            double f = Evaluate(_population[i], loss);
            _fitness[i] = double.IsNaN(f) ? double.PositiveInfinity : f;
            _rank[i] = i;
        }
        evaluations = n;
        Array.Sort(_rank, (a, b) => _fitness[a] != _fitness[b] ? _fitness[a].CompareTo(_fitness[b]) : a.CompareTo(b));
        int best = _rank[0];
        double bestLoss = _fitness[best];
        _population[best].CopyTo(Current, 0);

        for (int i = 0; i < n; i++)
        {
            float[] child = _next[i];
            if (i < _elitism) { _population[_rank[i]].CopyTo(child, 0); continue; }
            float[] a = _population[Tournament()], b = _population[Tournament()];
            bool cross = Rng.NextDouble() < _crossoverRate;
            for (int g = 0; g < child.Length; g++)
            {
                float gene = cross && Rng.NextDouble() < 0.5 ? b[g] : a[g];
                if (Rng.NextDouble() < _mutationRate) gene += (float)(_sigma * Rng.NextGaussian());
                child[g] = gene;
            }
        }
        for (int i = 0; i < n; i++) _next[i].CopyTo(_population[i], 0);
        Network.SetFlatParameters(Current);
        return bestLoss;
    }

    /// <summary>Index of the fittest of <c>tournamentSize</c> uniformly drawn individuals.</summary>
    private int Tournament()
    {
        int winner = Rng.NextInt(_population.Length);
        for (int k = 1; k < _tournament; k++)
        {
            int c = Rng.NextInt(_population.Length);
            if (_fitness[c] < _fitness[winner]) winner = c;
        }
        return winner;
    }

    protected override float[][] ExportVectors() => [(float[])Current.Clone(), .. _population.Select(p => (float[])p.Clone())];

    protected override void ImportVectors(float[][] vectors)
    {
        vectors[0].CopyTo(Current, 0);
        for (int i = 0; i < _population.Length; i++) vectors[i + 1].CopyTo(_population[i], 0);
    }
}
