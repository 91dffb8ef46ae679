using TrainingService.Api.Contracts;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Races;

/// <summary><c>POST /api/races</c>: one base spec and the variants to race on it. A variant replaces the base's
/// <c>optimizer</c> and/or <c>model</c> wholesale; everything else (data, seed, batch size, epochs) is shared.</summary>
public sealed class RaceRequest
{
    public string? Name { get; set; }
    public RunSpec? Base { get; set; }
    public List<RaceVariant?>? Variants { get; set; }
}

public sealed class RaceVariant
{
    /// <summary>Shown in the run's name (default: the optimizer type; when only the model changes, "cnn" or "layers" for a
    /// layer stack, "mlp" for a perceptron raced against one, else the activation).</summary>
    public string? Label { get; set; }
    public OptimizerSpec? Optimizer { get; set; }
    public ModelSpec? Model { get; set; }
}

/// <summary>A race as the API shows it: its runs in variant order.</summary>
public sealed record RaceDto(long Id, string Name, DateTime CreatedAt, IReadOnlyList<RunDto> Runs);
