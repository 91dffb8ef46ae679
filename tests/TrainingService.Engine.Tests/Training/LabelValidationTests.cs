using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Training;

/// <summary><see cref="SpecValidator.Labels"/>: a run's name and tags by the rules a whole spec's validation applies.</summary>
public sealed class LabelValidationTests
{
    [Fact]
    public void NameAndEachTagAreCheckedAsInASpec()
    {
        string[] tags = ["ok", " ", new string('t', 51)];
        var labels = SpecValidator.Labels("", tags);
        var spec = SpecValidator.Validate(new RunSpec { Name = "", Tags = [.. tags] });
        Assert.Equal(["name", "tags[1]", "tags[2]"], labels.Select(e => e.Path));
        Assert.Equal(spec, labels);
        Assert.Empty(SpecValidator.Labels("fine", ["a", "b"]));
        Assert.Empty(SpecValidator.Labels(null, null));
    }

    [Fact]
    public void TooManyTagsIsOneErrorAndNoElementIsLookedAt()
    {
        var errors = SpecValidator.Labels("", Enumerable.Repeat("", 21).ToList());
        Assert.Equal("tags", Assert.Single(errors).Path);
        Assert.Contains("at most 20 tags", errors[0].Message);
    }
}
