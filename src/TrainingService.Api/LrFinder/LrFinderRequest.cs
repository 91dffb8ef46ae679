using TrainingService.Engine.Training;

namespace TrainingService.Api.LrFinder;

/// <summary><c>POST /api/lr-finder</c>: the spec to find a learning rate for, and the range test's range and length.</summary>
public sealed class LrFinderRequest
{
    public RunSpec? Spec { get; set; }
    /// <summary>The first step's rate (default 1e-7).</summary>
    public double? MinLearningRate { get; set; }
    /// <summary>The last step's rate (default 10).</summary>
    public double? MaxLearningRate { get; set; }
    /// <summary>Steps from min to max (default 100); the run stops sooner when the loss explodes.</summary>
    public int? Steps { get; set; }
}
