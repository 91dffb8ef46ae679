namespace TrainingService.Engine.Sweeps;

/// <summary>How a sweep chooses its trials' parameters (W&amp;B's <c>method</c>): every combination of the values
/// (<see cref="GridSampler"/>), independent draws (<see cref="RandomSampler"/>), or a tree-structured Parzen
/// estimator fitted to the trials so far (<see cref="TpeSampler"/>, Optuna's default sampler).</summary>
public enum SweepMethod { Grid, Random, Bayes }
