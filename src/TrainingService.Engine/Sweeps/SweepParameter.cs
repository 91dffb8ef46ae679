namespace TrainingService.Engine.Sweeps;

/// <summary>One swept field of the run spec, named by its path (<c>optimizer.learningRate</c>, <c>model.hidden</c>):
/// either a list of values (<see cref="SweepValues"/>) or a numeric range (<see cref="SweepRange"/>).</summary>
public abstract record SweepParameter(string Path)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the path (<c>parameters["batchSize"]: …</c>) when the
    /// parameter cannot be sampled: an empty or repeated values list, a range whose bounds make no sense.</summary>
    public abstract void Validate();

    /// <summary>The prefix of every error about this parameter, in the request's words.</summary>
    protected string Name => $"parameters[\"{Path}\"]";
}
