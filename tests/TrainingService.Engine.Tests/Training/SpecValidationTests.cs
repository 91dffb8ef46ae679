using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Training;

public sealed class SpecValidationTests
{
    private static SpecException Refused(string json) =>
        Assert.Throws<SpecException>(() => TrainingSession.Create(SpecJson.Parse(json), SharedPaths.Datasets));

    private static string Message(SpecException ex, string path) =>
        Assert.Single(ex.Errors, e => e.Path == path).Message;

    [Fact]
    public void EveryBadFieldIsReportedByItsPath()
    {
        var ex = Refused("""
            {"model":{"hidden":[8,0,-3],"activation":"swish","init":"zeros"},"loss":"hinge",
             "optimizer":{"type":"adam","learningRate":-1,"beta1":1.5,"epsilon":0},
             "batchSize":-1,"epochs":0,"dataset":{"validationFraction":1.2}}
            """);
        Assert.Contains("got 0", Message(ex, "model.hidden[1]"));
        Assert.Contains("got -3", Message(ex, "model.hidden[2]"));
        Assert.Contains("relu", Message(ex, "model.activation"));
        Assert.Contains("xavier", Message(ex, "model.init"));
        Assert.Contains("cross_entropy", Message(ex, "loss"));
        Assert.Contains("got -1", Message(ex, "optimizer.learningRate"));
        Assert.Contains("got 1.5", Message(ex, "optimizer.beta1"));
        Assert.Contains("got 0", Message(ex, "optimizer.epsilon"));
        Assert.Contains("got -1", Message(ex, "batchSize"));
        Assert.Contains("got 0", Message(ex, "epochs"));
        Assert.Contains("got 1.2", Message(ex, "dataset.validationFraction"));
    }

    [Fact]
    public void StepActivationWithBackpropIsASpecError()
    {
        var ex = Refused("""{"model":{"activation":"step"}}""");
        Assert.Contains("gradient-free", Message(ex, "model.activation"));
    }

    [Fact]
    public void CrossEntropyOnARegressionDatasetIsRefused()
    {
        var ex = Refused("""{"dataset":{"name":"linear"},"loss":"cross_entropy"}""");
        Assert.Contains("regression", Message(ex, "loss"));
    }

    [Fact]
    public void SoftmaxWithMseIsRefused()
    {
        var ex = Refused("""{"loss":"mse","model":{"outputActivation":"softmax"}}""");
        Assert.Contains("cross_entropy", Message(ex, "model.outputActivation"));
    }

    [Fact]
    public void UnknownDatasetAndPathLikeNamesAreRefused()
    {
        Assert.Contains("available", Message(Refused("""{"dataset":{"name":"nosuch"}}"""), "dataset.name"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not a path", Message(Refused("""{"dataset":{"name":"../../etc/passwd"}}"""), "dataset.name"));
    }

    [Fact]
    public void ResourceLimitsAreSpecErrors()
    {
        var ex = Refused("""{"dataset":{"name":"mnist"},"model":{"hidden":[8192,8192]}}""");
        Assert.Contains("parameters", Message(ex, "model.hidden"));
        var numerical = Refused("""{"dataset":{"name":"mnist"},"model":{"hidden":[64]},"gradient":"numerical"}""");
        Assert.Contains("2 forward passes", Message(numerical, "gradient"));
    }

    [Fact]
    public void EarlyStoppingNeedsAValidationSplit()
    {
        var ex = Refused("""{"dataset":{"validationFraction":0},"earlyStopping":{"patience":3}}""");
        Assert.Contains("validationFraction", Message(ex, "earlyStopping"));
    }

    [Theory]
    [InlineData("""{"epochs":"ten"}""", "epochs")]
    [InlineData("""{"model":{"hidden":[8,"x"]}}""", "model.hidden[1]")]
    [InlineData("""{"optimizer":{"learningRat":0.1}}""", "optimizer.learningRat")]
    [InlineData("""{"seed":1.5}""", "seed")]
    public void WrongTypesAndUnknownFieldsNameThePath(string json, string path)
    {
        var ex = Assert.Throws<SpecException>(() => SpecJson.Parse(json));
        Assert.Equal(path, Assert.Single(ex.Errors).Path);
    }

    [Fact]
    public void MalformedJsonSaysWhere()
    {
        var ex = Assert.Throws<SpecException>(() => SpecJson.Parse("{\"epochs\": 3,"));
        Assert.Contains("line 1", Assert.Single(ex.Errors).Message);
    }

    [Fact]
    public void UnknownOptimizerTypesListTheChoices()
    {
        var ex = Refused("""{"optimizer":{"type":"lbfgs"}}""");
        Assert.Contains("hill_climbing", Message(ex, "optimizer.type"));
    }
}
