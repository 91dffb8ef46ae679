using System.Text.Json;
using TrainingService.Engine.Data;
using TrainingService.Engine.Search;
using TrainingService.Engine.Training;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Engine.Tests.Vocabulary;

/// <summary>The registry is what the defaults, the validator and the factories do: every entry's fields exist on the
/// spec, are filled in with the entry's defaults and nothing else, are range-checked by the entry's bounds, and a field an
/// entry does not take is refused by name.</summary>
public sealed class SpecVocabularyTests
{
    private static readonly Dataset Spiral = SyntheticDatasets.Generate("spiral", 60, 0.2, 1);

    public static TheoryData<string> OptimizerNames() => [.. SpecVocabulary.Optimizers.Select(o => o.Name)];
    public static TheoryData<string> ScheduleNames() => [.. SpecVocabulary.Schedules.Select(s => s.Name)];

    private static RunSpec Resolve(string optimizerJson) =>
        SpecDefaults.Resolve(SpecJson.Parse($$"""{"optimizer":{{optimizerJson}}}"""), Spiral, () => 1);

    private static List<SpecError> Validate(string optimizerJson) => SpecValidator.Validate(SpecJson.Parse($$"""{"optimizer":{{optimizerJson}}}"""));

    /// <summary>The fields an optimizer spec sets, by JSON name, as the engine writes it.</summary>
    private static Dictionary<string, JsonElement> Written(object spec) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(SpecJson.Serialize(spec))!;

    [Fact]
    public void TheRegistryFindsEveryOptimizerInItsOwnFileInTeachingOrder()
    {
        Assert.Equal(["sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "adamw", "random_search", "hill_climbing", "genetic"],
            SpecVocabulary.Optimizers.Select(o => o.Name));
        Assert.Equal(SpecVocabulary.Optimizers.Select(o => o.Name), SpecVocabulary.RunField("optimizer.type").Values);
        Assert.Equal(SpecVocabulary.Schedules.Select(o => o.Name), SpecVocabulary.RunField("optimizer.schedule.type").Values);
    }

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void AnOptimizersFilledInSpecHoldsExactlyItsEntrysFieldsWithTheirDefaults(string type)
    {
        var entry = SpecVocabulary.Optimizer(type)!;
        var written = Written(Resolve($$"""{"type":"{{type}}"}""").Optimizer!);
        var expected = entry.Fields.Select(f => f.Name).Append("type");
        if (entry is not SearchEntry) expected = expected.Append("schedule");
        Assert.Equal(expected.Order(), written.Keys.Order());
        foreach (var f in entry.Fields)
        {
            Assert.True(SpecProperties<OptimizerSpec>.Has(f.Name), $"{type}.{f.Name} is not a field of OptimizerSpec");
            Assert.Equal(JsonSerializer.Serialize(f.Default), written[f.Name].GetRawText());
            Assert.Null(f.Check(f.Default!)); // every default is inside its own range
        }
    }

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void AnOptimizersDefaultsWrittenOutAreAccepted(string type)
    {
        string json = SpecJson.Serialize(Resolve($$"""{"type":"{{type}}"}""").Optimizer!);
        Assert.Empty(Validate(json));
    }

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void AFieldTheOptimizerDoesNotTakeIsRefusedByName(string type)
    {
        var entry = SpecVocabulary.Optimizer(type)!;
        var unused = typeof(OptimizerSpec).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .Where(n => n != "type" && n != "schedule" && entry.Field(n) is null).ToList();
        Assert.NotEmpty(unused);
        foreach (string name in unused)
        {
            var p = typeof(OptimizerSpec).GetProperty(char.ToUpperInvariant(name[0]) + name[1..])!;
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            string value = t == typeof(bool) ? "true" : t == typeof(string) ? "\"local\"" : t == typeof(int) ? "2" : "0.5";
            var error = Assert.Single(Validate($$"""{"type":"{{type}}","{{name}}":{{value}}}"""));
            Assert.Equal($"optimizer.{name}", error.Path);
            Assert.StartsWith($"not used by {type}; {type} takes {entry.Fields[0].Name}", error.Message);
        }
    }

    [Fact]
    public void TheIssuesExamplesAreRefusedAndAGradientFreeOptimizerTakesNoSchedule()
    {
        Assert.Equal("not used by adagrad; adagrad takes learningRate, epsilon, weightDecay, clipNorm, schedule",
            Assert.Single(Validate("""{"type":"adagrad","alpha":0.9}""")).Message);
        Assert.Equal("optimizer.beta1", Assert.Single(Validate("""{"type":"sgd","beta1":0.9}""")).Path);
        Assert.Equal("optimizer.momentum", Assert.Single(Validate("""{"type":"rmsprop","momentum":0.9}""")).Path);
        Assert.Equal("optimizer.schedule", Assert.Single(Validate("""{"type":"genetic","schedule":{"type":"cosine"}}""")).Path);
        Assert.Equal("optimizer.momentum", Assert.Single(Validate("""{"momentum":0.9}""")).Path); // the default type, adam
    }

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void EveryNumericFieldIsCheckedAgainstItsEntrysBounds(string type)
    {
        foreach (var f in SpecVocabulary.Optimizer(type)!.Fields.Where(f => f.Type is FieldType.Number or FieldType.Integer))
        {
            double step = f.Type == FieldType.Integer ? 1 : Math.Max(1e-9, Math.Abs(f.Max!.Value) * 1e-9);
            string below = (f.Min!.Value - step).ToString("R"), above = (f.Max!.Value + step).ToString("R");
            Assert.Contains(Validate($$"""{"type":"{{type}}","{{f.Name}}":{{below}}}"""), e => e.Path == $"optimizer.{f.Name}");
            Assert.Contains(Validate($$"""{"type":"{{type}}","{{f.Name}}":{{above}}}"""), e => e.Path == $"optimizer.{f.Name}");
            bool minRefused = Validate($$"""{"type":"{{type}}","{{f.Name}}":{{f.Min.Value:R}}}""").Any(e => e.Path == $"optimizer.{f.Name}");
            Assert.Equal(f.MinExclusive || (type, f.Name) == ("nesterov", "momentum"), minRefused); // nesterov's rule: momentum > 0
        }
    }

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void AScheduleIsFilledInFromItsEntryAndRefusesOthersFields(string type)
    {
        var entry = SpecVocabulary.Schedule(type)!;
        var written = Written(Resolve($$$"""{"type":"adam","schedule":{"type":"{{{type}}}"}}""").Optimizer!.Schedule!);
        Assert.Equal(entry.Fields.Select(f => f.Name).Append("type").Order(), written.Keys.Order());
        foreach (var f in entry.Fields) Assert.Equal(JsonSerializer.Serialize(f.Default), written[f.Name].GetRawText());

        string other = new[] { "gamma", "factor", "minLearningRate" }.First(n => entry.Field(n) is null);
        var error = Assert.Single(Validate($$$"""{"schedule":{"type":"{{{type}}}","{{{other}}}":0.5}}"""));
        Assert.Equal($"optimizer.schedule.{other}", error.Path);
        Assert.StartsWith($"not used by the {type} schedule", error.Message);
    }

    [Fact]
    public void TheSpecsOwnDefaultsAreTheRegistrysFields()
    {
        var r = SpecDefaults.Resolve(new RunSpec { EarlyStopping = new() }, Spiral, () => 1);
        Assert.Equal(SpecVocabulary.RunField("batchSize").Default, r.BatchSize);
        Assert.Equal(SpecVocabulary.RunField("epochs").Default, r.Epochs);
        Assert.Equal(SpecVocabulary.RunField("dataset.validationFraction").Default, r.Dataset!.ValidationFraction);
        Assert.Equal(SpecVocabulary.RunField("dataset.testFraction").Default, r.Dataset.TestFraction);
        Assert.Equal(SpecVocabulary.RunField("dataset.shuffle").Default, r.Dataset.Shuffle);
        Assert.Equal(SpecVocabulary.RunField("model.activation").Default, r.Model!.Activation);
        Assert.Equal(SpecVocabulary.RunField("model.init").Default, r.Model.Init);
        Assert.Equal((int[])SpecVocabulary.RunField("model.hidden").Default!, r.Model.Hidden);
        Assert.Equal(SpecVocabulary.RunField("gradient").Default, r.Gradient);
        Assert.Equal(SpecVocabulary.RunField("optimizer.type").Default, r.Optimizer!.Type);
        Assert.Equal(SpecVocabulary.RunField("optimizer.schedule.type").Default, r.Optimizer.Schedule!.Type);
        Assert.Equal(SpecVocabulary.RunField("earlyStopping.patience").Default, r.EarlyStopping!.Patience);
        Assert.Equal(SpecVocabulary.RunField("earlyStopping.restoreBestWeights").Default, r.EarlyStopping.RestoreBestWeights);
        var spiral = SpecVocabulary.Datasets.Single(d => d.Name == "spiral");
        Assert.Equal(SyntheticDatasets.Find("spiral")!.DefaultNoise, spiral.Field("noise")!.Default);
    }

    [Fact]
    public void ClosedFieldsAcceptExactlyTheRegistrysValues()
    {
        foreach (var (path, json) in new[]
        {
            ("model.activation", "{\"model\":{\"activation\":\"%\"}}"), ("model.outputActivation", "{\"model\":{\"outputActivation\":\"%\"}}"),
            ("model.init", "{\"model\":{\"init\":\"%\"}}"), ("loss", "{\"loss\":\"%\"}"), ("gradient", "{\"gradient\":\"%\"}"),
            ("optimizer.type", "{\"optimizer\":{\"type\":\"%\"}}"), ("optimizer.schedule.type", "{\"optimizer\":{\"schedule\":{\"type\":\"%\"}}}"),
        })
        {
            foreach (string value in SpecVocabulary.RunField(path).Values!)
                Assert.DoesNotContain(SpecValidator.Validate(SpecJson.Parse(json.Replace("%", value))), e => e.Path == path && e.Message.Contains("is not one of"));
            Assert.Contains(SpecValidator.Validate(SpecJson.Parse(json.Replace("%", "nope"))), e => e.Path == path && e.Message.Contains("is not one of"));
        }
    }
}
