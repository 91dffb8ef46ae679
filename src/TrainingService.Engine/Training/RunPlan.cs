namespace TrainingService.Engine.Training;

/// <summary>A validated spec as a queued run records it: every default filled in (the seed drawn, so the run is
/// reproducible) and the optimizer steps it will take. See <see cref="TrainingSession.Plan"/>.</summary>
public sealed record RunPlan(RunSpec Spec, long TotalSteps);
