using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Data;

/// <summary>
/// Small seeded toy problems for watching optimizers behave: the same (name, samples, noise, seed) always gives
/// bit-identical data. Classification samples are split as evenly as possible between classes (earlier classes
/// get the remainder) and the rows are then shuffled, so that an unshuffled train/test split still sees every class.
/// Every generator draws its gaussians even when noise is 0, so changing only the noise moves the points but
/// never reshuffles them.
/// </summary>
public static class SyntheticDatasets
{
    /// <summary>Upper bound on samples: these are teaching datasets, and a typo should not allocate gigabytes.</summary>
    public const int MaxSamples = 1_000_000;

    public static IReadOnlyList<GeneratorInfo> All { get; } =
    [
        new("xor", "classification", 2, 2, 200, 0.05,
            "Uniform points in [-1,1]²; class 1 where x·y > 0. Not linearly separable: needs a hidden layer. Noise jitters the points."),
        new("circles", "classification", 2, 2, 200, 0.05,
            "Two concentric circles (radii 1 and 0.5), like sklearn's make_circles. Noise is the gaussian std added to each coordinate."),
        new("moons", "classification", 2, 2, 200, 0.1,
            "Two interleaving half circles, like sklearn's make_moons. Noise is the gaussian std added to each coordinate."),
        new("spiral", "classification", 2, 3, 300, 0.2,
            "Three interleaved spiral arms (CS231n). Noise is the std of the angle jitter in radians; 0.2 is CS231n's value."),
        new("blobs", "classification", 2, 3, 300, 0.3,
            "Three gaussian blobs around (0,1), (-√3/2,-½), (√3/2,-½). Noise is each blob's std."),
        new("linear", "regression", 1, 0, 100, 0.1,
            "y = 2x + 1 + noise·N(0,1), x uniform in [-1,1]. The simplest regression: a single neuron can fit it."),
        new("sine", "regression", 1, 0, 200, 0.1,
            "y = sin x + noise·N(0,1), x uniform in [-π,π]. A smooth nonlinear curve."),
    ];

    /// <summary>The generator called <paramref name="name"/> (exact, case-sensitive), or null.</summary>
    public static GeneratorInfo? Find(string name)
    {
        foreach (GeneratorInfo g in All)
            if (g.Name == name) return g;
        return null;
    }

    public static Dataset Generate(string name, int samples, double noise, long seed)
    {
        ArgumentNullException.ThrowIfNull(name);
        GeneratorInfo info = Find(name) ?? throw new ArgumentException(
            $"unknown synthetic dataset '{name}'; allowed names are: {string.Join(", ", Names())}", nameof(name));
        if (samples < 1 || samples > MaxSamples)
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"samples must be between 1 and {MaxSamples}");
        if (!(noise >= 0) || double.IsInfinity(noise))
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "noise must be a finite number ≥ 0");

        var rng = Rng.ForStream(seed, "data");
        var x = new float[samples * info.Features];
        var y = new float[samples];
        switch (name)
        {
            case "xor": Xor(x, y, noise, rng); break;
            case "circles": Circles(x, y, noise, rng); break;
            case "moons": Moons(x, y, noise, rng); break;
            case "spiral": Spiral(x, y, noise, rng); break;
            case "blobs": Blobs(x, y, noise, rng); break;
            case "linear": Regression(x, y, -1, 1, v => 2 * v + 1, noise, rng); break;
            case "sine": Regression(x, y, -Math.PI, Math.PI, Math.Sin, noise, rng); break;
            default: throw new InvalidOperationException($"generator '{name}' is listed but not implemented");
        }
        if (info.Classes > 0) (x, y) = ShuffleRows(x, y, info.Features, rng);

        return new Dataset
        {
            Name = name, X = x, Y = y, Count = samples, Features = info.Features, Classes = info.Classes,
            FeatureNames = info.Features == 1 ? ["x"] : ["x1", "x2"],
            ClassNames = info.Classes > 0 ? ClassLabels(info.Classes) : null,
        };
    }

    private static string[] Names()
    {
        var names = new string[All.Count];
        for (int i = 0; i < names.Length; i++) names[i] = All[i].Name;
        return names;
    }

    private static string[] ClassLabels(int classes)
    {
        var labels = new string[classes];
        for (int c = 0; c < classes; c++) labels[c] = c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return labels;
    }

    /// <summary>How many of <paramref name="samples"/> go to class <paramref name="c"/>: as even as possible.</summary>
    private static int ClassSize(int samples, int classes, int c) => samples / classes + (c < samples % classes ? 1 : 0);

    /// <summary>numpy.linspace(lo, hi, n)[i] with endpoint=True (a single point sits at lo).</summary>
    private static double Linspace(int i, int n, double lo, double hi) => n == 1 ? lo : lo + (hi - lo) * i / (n - 1);

    /// <summary>Each class is sampled from its own quadrants (uniform within them), which is the same as
    /// uniform on the square conditioned on the class, but lets the classes be balanced exactly.</summary>
    private static void Xor(float[] x, float[] y, double noise, Rng rng)
    {
        int n = y.Length, i = 0;
        for (int c = 0; c < 2; c++)
            for (int k = ClassSize(n, 2, c); k > 0; k--, i++)
            {
                double sign = rng.NextDouble() < 0.5 ? -1 : 1;
                double a = sign * rng.NextDouble(), b = sign * rng.NextDouble();
                if (c == 0) b = -b; // x·y < 0 (or on an axis, which has measure zero)
                Point(x, y, i, a + noise * rng.NextGaussian(), b + noise * rng.NextGaussian(), c);
            }
    }

    /// <summary>sklearn make_circles(factor=0.5): evenly spaced angles (no endpoint), outer circle is class 0.</summary>
    private static void Circles(float[] x, float[] y, double noise, Rng rng)
    {
        int n = y.Length, i = 0;
        for (int c = 0; c < 2; c++)
        {
            int m = ClassSize(n, 2, c);
            double radius = c == 0 ? 1.0 : 0.5;
            for (int k = 0; k < m; k++, i++)
            {
                double t = 2 * Math.PI * k / m;
                Point(x, y, i, radius * Math.Cos(t) + noise * rng.NextGaussian(),
                    radius * Math.Sin(t) + noise * rng.NextGaussian(), c);
            }
        }
    }

    /// <summary>sklearn make_moons: upper half circle at the origin (class 0), lower one shifted to (1, 0.5) (class 1).</summary>
    private static void Moons(float[] x, float[] y, double noise, Rng rng)
    {
        int n = y.Length, i = 0;
        for (int c = 0; c < 2; c++)
        {
            int m = ClassSize(n, 2, c);
            for (int k = 0; k < m; k++, i++)
            {
                double t = Linspace(k, m, 0, Math.PI);
                double a = c == 0 ? Math.Cos(t) : 1 - Math.Cos(t);
                double b = c == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t);
                Point(x, y, i, a + noise * rng.NextGaussian(), b + noise * rng.NextGaussian(), c);
            }
        }
    }

    /// <summary>CS231n: radius linspace(0,1), angle linspace(4c, 4c+4) + noise·N(0,1), point (r·sin t, r·cos t).</summary>
    private static void Spiral(float[] x, float[] y, double noise, Rng rng)
    {
        int n = y.Length, i = 0;
        for (int c = 0; c < 3; c++)
        {
            int m = ClassSize(n, 3, c);
            for (int k = 0; k < m; k++, i++)
            {
                double r = Linspace(k, m, 0, 1);
                double t = Linspace(k, m, 4 * c, 4 * (c + 1)) + noise * rng.NextGaussian();
                Point(x, y, i, r * Math.Sin(t), r * Math.Cos(t), c);
            }
        }
    }

    /// <summary>Fixed centres on the unit circle, 120° apart, so the task is the same for every seed.</summary>
    private static void Blobs(float[] x, float[] y, double noise, Rng rng)
    {
        ReadOnlySpan<double> cx = [0, -Math.Sqrt(3) / 2, Math.Sqrt(3) / 2];
        ReadOnlySpan<double> cy = [1, -0.5, -0.5];
        int n = y.Length, i = 0;
        for (int c = 0; c < 3; c++)
            for (int k = ClassSize(n, 3, c); k > 0; k--, i++)
                Point(x, y, i, cx[c] + noise * rng.NextGaussian(), cy[c] + noise * rng.NextGaussian(), c);
    }

    private static void Regression(float[] x, float[] y, double lo, double hi, Func<double, double> f, double noise, Rng rng)
    {
        for (int i = 0; i < y.Length; i++)
        {
            double v = rng.Uniform(lo, hi);
            x[i] = (float)v;
            y[i] = (float)(f(v) + noise * rng.NextGaussian());
        }
    }

    private static void Point(float[] x, float[] y, int i, double a, double b, int label)
    {
        x[2 * i] = (float)a;
        x[2 * i + 1] = (float)b;
        y[i] = label;
    }

    /// <summary>Generators emit classes in blocks; a seeded permutation mixes them.</summary>
    private static (float[] X, float[] Y) ShuffleRows(float[] x, float[] y, int features, Rng rng)
    {
        var order = new int[y.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        rng.Shuffle(order);
        var xs = new float[x.Length];
        var ys = new float[y.Length];
        for (int r = 0; r < order.Length; r++)
        {
            x.AsSpan(order[r] * features, features).CopyTo(xs.AsSpan(r * features));
            ys[r] = y[order[r]];
        }
        return (xs, ys);
    }
}
