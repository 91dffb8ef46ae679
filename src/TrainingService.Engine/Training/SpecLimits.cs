namespace TrainingService.Engine.Training;

/// <summary>Resource limits a spec must respect, so one job cannot take the machine down.</summary>
public sealed record SpecLimits
{
    public int MaxHiddenLayers { get; init; } = 16;
    /// <summary>Entries of <c>model.layers</c> (activations, pools and dropout count too).</summary>
    public int MaxLayers { get; init; } = 64;
    public int MaxLayerWidth { get; init; } = Layers.LayerKind.DefaultMaxWidth;
    public long MaxParameters { get; init; } = 20_000_000;
    public int MaxEpochs { get; init; } = 100_000;
    public int MaxBatchSize { get; init; } = 100_000;
    public int MaxSamples { get; init; } = 1_000_000;
    /// <summary>Upper bound on epochs × steps per epoch.</summary>
    public long MaxTotalSteps { get; init; } = 50_000_000;
    /// <summary>Numerical gradients cost 2 forward passes per parameter: keep them to small nets.</summary>
    public long MaxNumericalParameters { get; init; } = 20_000;
    /// <summary>Memory a run may need by <see cref="RunCost"/>'s estimate; null = not checked (the engine's default:
    /// the CLI trains what it is given on the user's own machine; the service sets it).</summary>
    public long? MaxRunMemoryBytes { get; init; }
    /// <summary>Floating-point operations the costliest step may need by <see cref="RunCost"/>'s estimate; null = not checked.</summary>
    public double? MaxStepFlops { get; init; }
    /// <summary>What a refusal calls these two limits (the service names its settings), or null.</summary>
    public string? MemoryLimitName { get; init; }
    public string? FlopLimitName { get; init; }
    public int MaxNameLength { get; init; } = 200;
    public int MaxTags { get; init; } = 20;
    public int MaxTagLength { get; init; } = 50;

    public static SpecLimits Default { get; } = new();
}
