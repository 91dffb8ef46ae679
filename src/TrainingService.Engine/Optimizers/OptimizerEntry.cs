using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Optimizers;

/// <summary>
/// A gradient-descent optimizer as the spec names it: each optimizer's file declares one (<c>Adam.Entry</c>) with its
/// hyperparameters, their defaults and ranges, and its factory; the registry finds them there, so adding an optimizer is
/// adding its file. Every entry also takes <c>clipNorm</c> and a learning-rate <c>schedule</c> (the training loop's).
/// </summary>
public sealed class OptimizerEntry : Entry
{
    public OptimizerEntry(string name, int order, string description, IReadOnlyList<SpecField> fields, Func<FieldValues, Optimizer> create,
        Func<FieldValues, (string Field, string Message)?>? rule = null)
        : base(name, description, [.. fields, OptimizerFields.ClipNorm])
    {
        Order = order;
        Rule = rule;
        Create = create;
    }

    public Func<FieldValues, Optimizer> Create { get; }
}
