namespace TrainingService.Engine.Training;

/// <summary>Kept for the training session's callers; the vocabulary itself is <see cref="SpecVocabulary"/>.</summary>
public static class SpecNames
{
    public static bool IsGradientFree(string? optimizerType) => SpecVocabulary.IsGradientFree(optimizerType);
}
