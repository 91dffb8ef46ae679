using TrainingService.Engine.Data;
using TrainingService.Engine.Layers;

namespace TrainingService.Engine.TestFunctions;

/// <summary>
/// A classic optimization test function f(w, b): a model and objective of its own, not a dataset. The run's two
/// parameters are the point itself and the loss is f there. The session holds them as a 1→1 identity layer (w, b), so
/// trajectories, checkpoints, optimizers and the loss landscape work unchanged; the loss and its gradient come from
/// here (Training/Steppers/SurfaceObjective). A spec names one as <c>dataset.name</c> (the shape surface runs have
/// always had); the session routes that name here before the dataset catalog is asked.
/// </summary>
public sealed class Surface(string name, string description, (double W, double B) minimum,
    Func<double, double, double> f, Func<double, double, (double Dw, double Db)> grad)
{
    public string Name { get; } = name;
    public string Description { get; } = description;
    /// <summary>Where f is lowest (the saddle's critical point for <c>saddle</c>, which has no minimum).</summary>
    public (double W, double B) Minimum { get; } = minimum;

    /// <summary>What the loop steps over: one evaluation of f per step (one step an epoch), counted as one example. The
    /// row (x = 0, y = 0) is never read; it gives the 1→1 layer its input width and the splits their one training row.</summary>
    public Dataset Input => new() { Name = Name, X = [0f], Y = [0f], Count = 1, Features = 1 };

    public double Value(double w, double b) => f(w, b);

    /// <summary>f at the network's (w, b), with ∂f/∂w and ∂f/∂b written into the parameters' gradients.</summary>
    public double Evaluate(Network net)
    {
        Parameter wp = net.Parameters[0], bp = net.Parameters[1];
        double w = wp.Data[0], b = bp.Data[0];
        var (dw, db) = grad(w, b);
        wp.Grad[0] = (float)dw;
        bp.Grad[0] = (float)db;
        return f(w, b);
    }

    /// <summary>f at the network's (w, b), nothing else touched: what numerical gradients and gradient-free search evaluate.</summary>
    public double Value(Network net) => f(net.Parameters[0].Data[0], net.Parameters[1].Data[0]);
}

/// <summary>The surfaces: an ill-conditioned bowl, Rosenbrock's banana valley, Beale's function and a saddle.</summary>
public static class Surfaces
{
    public static readonly Surface[] All =
    [
        new("quadratic_bowl", "f = ½(w² + 10·b²): an elongated bowl, minimum at (0, 0); plain gradient descent zig-zags across it, momentum does not",
            (0, 0), (w, b) => 0.5 * (w * w + 10 * b * b), (w, b) => (w, 10 * b)),
        new("rosenbrock", "f = (1 − w)² + 100·(b − w²)²: a curved, flat-bottomed valley, minimum at (1, 1)",
            (1, 1), (w, b) => (1 - w) * (1 - w) + 100 * (b - w * w) * (b - w * w),
            (w, b) => (-2 * (1 - w) - 400 * w * (b - w * w), 200 * (b - w * w))),
        new("beale", "f = (1.5 − w + wb)² + (2.25 − w + wb²)² + (2.625 − w + wb³)²: steep walls and flat plateaus, minimum at (3, 0.5)",
            (3, 0.5), Beale, BealeGradient),
        new("saddle", "f = w² − b²: a saddle point at (0, 0) with no minimum; methods that follow the gradient escape along b, or stall near the saddle",
            (0, 0), (w, b) => w * w - b * b, (w, b) => (2 * w, -2 * b)),
    ];

    public static Surface? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    /// <summary>The surfaces as the dataset listing shows them (kind "surface"), for the form to offer.</summary>
    public static IEnumerable<DatasetInfo> Describe() =>
        All.Select(s => new DatasetInfo(s.Name, "surface", "surface", 1, 0, null, $"{s.Description}. The two parameters are the point: use model.hidden []."));

    private static double Beale(double w, double b)
    {
        double t1 = 1.5 - w + w * b, t2 = 2.25 - w + w * b * b, t3 = 2.625 - w + w * b * b * b;
        return t1 * t1 + t2 * t2 + t3 * t3;
    }

    private static (double, double) BealeGradient(double w, double b)
    {
        double t1 = 1.5 - w + w * b, t2 = 2.25 - w + w * b * b, t3 = 2.625 - w + w * b * b * b;
        return (2 * t1 * (b - 1) + 2 * t2 * (b * b - 1) + 2 * t3 * (b * b * b - 1),
                2 * t1 * w + 2 * t2 * 2 * w * b + 2 * t3 * 3 * w * b * b);
    }
}
