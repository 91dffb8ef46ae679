namespace TrainingService.Engine.Data;

/// <summary>
/// What a synthetic generator produces, so that callers (API validation, dashboard pickers, the catalog)
/// can describe and default a dataset without generating it.
/// </summary>
/// <param name="Task">"classification" or "regression".</param>
/// <param name="Classes">Number of classes; 0 for regression.</param>
public sealed record GeneratorInfo(
    string Name, string Task, int Features, int Classes, int DefaultSamples, double DefaultNoise, string Description);
