namespace TrainingService.Engine.Sweeps;

/// <summary>The distribution of a <see cref="SweepRange"/> (W&amp;B's names <c>uniform</c>, <c>log_uniform</c>,
/// <c>int_uniform</c>): uniform in [min, max]; uniform in log between min &gt; 0 and max (so each decade is as likely);
/// uniform over the integers min … max, both included.</summary>
public enum SweepDistribution { Uniform, LogUniform, IntUniform }
