namespace TrainingService.Engine.Training;

/// <summary>One problem with a spec: the JSON path of the field (<c>optimizer.learningRate</c>,
/// <c>model.hidden[1]</c>) and what was expected.</summary>
public sealed record SpecError(string Path, string Message)
{
    /// <summary>How much of a user's value an error quotes: enough to recognise it, never the whole of a huge one.</summary>
    public const int MaxQuoted = 40;

    /// <summary>Errors one answer lists.</summary>
    public const int MaxErrors = 20;

    /// <summary><paramref name="value"/>, cut to <see cref="MaxQuoted"/> characters with an ellipsis.</summary>
    public static string Quote(string value) => value.Length <= MaxQuoted ? value : string.Concat(value.AsSpan(0, MaxQuoted), "…");

    /// <summary>The first <see cref="MaxErrors"/> errors, then one (path <c>$</c>) saying how many more there were.</summary>
    public static IReadOnlyList<SpecError> Cap(IReadOnlyList<SpecError> errors) =>
        errors.Count <= MaxErrors ? errors
        : [.. errors.Take(MaxErrors), new SpecError("$", $"… and {errors.Count - MaxErrors:N0} more errors (only the first {MaxErrors} are listed)")];
}

/// <summary>A spec that cannot run; <see cref="Errors"/> names every bad field, up to <see cref="SpecError.MaxErrors"/>
/// of them and then one entry saying how many more there were (<see cref="SpecError.Cap"/>), so a hostile spec cannot
/// make a huge answer.</summary>
public sealed class SpecException(IReadOnlyList<SpecError> errors)
    : Exception(string.Join("; ", SpecError.Cap(errors).Select(e => $"{e.Path}: {e.Message}")))
{
    public IReadOnlyList<SpecError> Errors { get; } = SpecError.Cap(errors);

    public SpecException(string path, string message) : this([new SpecError(path, message)]) { }
}
