using TrainingService.Engine.Training;

namespace TrainingService.Api.LrFinder;

/// <summary>
/// Turns a finder request into an ordinary run: the spec with its schedule replaced by <c>range_test</c> (the engine's
/// learning-rate finder, <see cref="RangeTest"/>) and its epochs set to those the steps span, so the run is queued,
/// trained, checkpointed, resumed and shown like any other. Errors are keyed as written: <c>minLearningRate</c>,
/// <c>spec.optimizer.type</c>.
/// </summary>
public static class LrFinderSpecs
{
    public const double DefaultMin = 1e-7, DefaultMax = 10, MaxRate = 1000;
    public const int DefaultSteps = 100, MaxSteps = 10_000;

    public static RunPlan Build(LrFinderRequest request, string dataDirectory, SpecLimits? limits = null)
    {
        var errors = new List<SpecError>();
        double min = request.MinLearningRate ?? DefaultMin, max = request.MaxLearningRate ?? DefaultMax;
        int steps = request.Steps ?? DefaultSteps;
        if (!(min > 0 && min <= MaxRate)) errors.Add(new("minLearningRate", $"must be in (0, {MaxRate}], got {min}"));
        if (!(max > 0 && max <= MaxRate)) errors.Add(new("maxLearningRate", $"must be in (0, {MaxRate}], got {max}"));
        else if (!(max > min)) errors.Add(new("maxLearningRate", $"must be greater than minLearningRate ({min}), got {max}"));
        if (steps is < 2 or > MaxSteps) errors.Add(new("steps", $"must be an integer in [2, {MaxSteps}], got {steps}"));
        if (request.Spec is not { } spec)
        {
            errors.Add(new("spec", "give the run spec to find a learning rate for"));
            throw new SpecException(errors);
        }
        string type = spec.Optimizer?.Type ?? SpecDefaults.Optimizer;
        if (SpecNames.IsGradientFree(type))
            errors.Add(new("spec.optimizer.type", $"{type} is gradient-free and has no learning rate; the finder needs a gradient optimizer (sgd, momentum, adam, …)"));
        if (errors.Count > 0) throw new SpecException(errors);

        var copy = SpecJson.Parse(SpecJson.Serialize(spec));
        copy.Optimizer ??= new OptimizerSpec();
        copy.Optimizer.LearningRate = min; // the first step's; the schedule sets every step's rate
        copy.Name = $"lr finder · {spec.Name ?? SpecDefaults.DatasetName(spec)}";
        copy.EarlyStopping = null;
        try
        {
            // Once, constant for one epoch, for the steps an epoch takes; then as the finder, with the epochs the steps
            // span (so the cost estimate and the limits are the run's).
            copy.Optimizer.Schedule = null;
            copy.Epochs = 1;
            long perEpoch = Math.Max(1, TrainingSession.Plan(copy, dataDirectory, limits).TotalSteps);
            copy.Epochs = (int)((steps + perEpoch - 1) / perEpoch);
            copy.Optimizer.Schedule = new ScheduleSpec { Type = LearningRateSchedule.RangeTestType, MinLearningRate = min, MaxLearningRate = max, Steps = steps };
            return TrainingSession.Plan(copy, dataDirectory, limits);
        }
        catch (SpecException e)
        {
            throw new SpecException([.. e.Errors.Select(x => x with { Path = x.Path == "$" ? "$" : $"spec.{x.Path}" })]);
        }
    }
}
