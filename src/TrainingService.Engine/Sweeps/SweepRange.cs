using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrainingService.Engine.Sweeps;

/// <summary>A numeric parameter drawn from <see cref="Distribution"/> between <see cref="Min"/> and <see cref="Max"/>
/// (both included for <see cref="SweepDistribution.IntUniform"/>).</summary>
public sealed record SweepRange(string Path, SweepDistribution Distribution, double Min, double Max) : SweepParameter(Path)
{
    public override void Validate()
    {
        if (!double.IsFinite(Min) || !double.IsFinite(Max)) throw new ArgumentException($"{Name}: min and max must be finite numbers", Path);
        if (!(Min < Max)) throw new ArgumentException($"{Name}: min ({Min}) must be below max ({Max})", Path);
        if (Distribution == SweepDistribution.LogUniform && Min <= 0)
            throw new ArgumentException($"{Name}: log_uniform needs min > 0, got {Min}", Path);
        if (Distribution == SweepDistribution.IntUniform &&
            (Min != Math.Floor(Min) || Max != Math.Floor(Max) || Min < int.MinValue || Max > int.MaxValue))
            throw new ArgumentException($"{Name}: int_uniform needs whole numbers for min and max, got {Min} and {Max}", Path);
        if (Distribution == SweepDistribution.IntUniform && Max - Min >= int.MaxValue)
            throw new ArgumentException($"{Name}: int_uniform spans at most {int.MaxValue} integers, got {Min} … {Max}", Path);
    }

    /// <summary>The axis the samplers and the importance estimate work on: log(x) for log_uniform, x otherwise.</summary>
    public double ToAxis(double x) => Distribution == SweepDistribution.LogUniform ? Math.Log(x) : x;

    /// <summary>The inverse of <see cref="ToAxis"/>, kept inside [min, max] (and whole for int_uniform).</summary>
    public double FromAxis(double a)
    {
        double x = Distribution == SweepDistribution.LogUniform ? Math.Exp(a) : a;
        if (Distribution == SweepDistribution.IntUniform) x = Math.Round(x, MidpointRounding.ToEven);
        return Math.Clamp(x, Min, Max);
    }

    /// <summary>min + (max − min)·u.</summary>
    internal double Uniform01(double u) => Math.Min(Min + (Max - Min) * u, Max);

    /// <summary>A sampled value as JSON: an integer for int_uniform, a number otherwise.</summary>
    public JsonNode ToJson(double x) =>
        Distribution == SweepDistribution.IntUniform ? JsonValue.Create((long)x) : JsonValue.Create(x);

    /// <summary>The number a trial's JSON value holds, or null when it is not a number. Read from its JSON text: a
    /// node built from a long (as <see cref="ToJson"/> makes for int_uniform) will not give a double.</summary>
    public static double? Read(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) : null;
}
