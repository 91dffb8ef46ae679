namespace TrainingService.Data.Entities;

/// <summary>An uploaded dataset as it is stored on disk (<c>uploads/NAME.csv</c> or <c>uploads/NAME.images</c>): the
/// database holds the bytes so every worker of a scale-out can write the file it lacks; the disk is a cache.</summary>
public sealed class DatasetUpload
{
    /// <summary>The dataset's name (letters, digits, '-' and '_').</summary>
    public required string Name { get; set; }
    /// <summary>The file's extension, which says what it holds: ".csv" or ".images".</summary>
    public required string Extension { get; set; }
    public required byte[] Content { get; set; }
    public DateTime CreatedAt { get; set; }
}
