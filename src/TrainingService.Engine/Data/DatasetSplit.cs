namespace TrainingService.Engine.Data;

/// <summary>Disjoint train / validation / test parts of one dataset; validation or test may be empty (Count 0).</summary>
public sealed record DatasetSplit(Dataset Train, Dataset Validation, Dataset Test);
