namespace TrainingService.Engine.Training;

/// <summary>One problem with a spec: the JSON path of the field (<c>optimizer.learningRate</c>,
/// <c>model.hidden[1]</c>) and what was expected.</summary>
public sealed record SpecError(string Path, string Message);

/// <summary>A spec that cannot run; <see cref="Errors"/> names every bad field.</summary>
public sealed class SpecException(IReadOnlyList<SpecError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")))
{
    public IReadOnlyList<SpecError> Errors { get; } = errors;

    public SpecException(string path, string message) : this([new SpecError(path, message)]) { }
}
