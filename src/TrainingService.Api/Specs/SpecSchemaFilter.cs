using TrainingService.Engine.Layers;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using TrainingService.Engine.Training;
using TrainingService.Engine.Vocabulary;

namespace TrainingService.Api.Specs;

/// <summary>Swagger's enums for the spec's closed fields (<c>optimizer.type</c>, <c>model.activation</c>, …) from the
/// registry, so the documented vocabulary is the one the validator accepts; <c>model.layers[].type</c> lists the layer kinds.</summary>
public sealed class SpecSchemaFilter : ISchemaFilter
{
    /// <summary>The spec classes by the JSON path of the object they are.</summary>
    private static readonly Dictionary<Type, string> Paths = new()
    {
        [typeof(RunSpec)] = "",
        [typeof(DatasetSpec)] = "dataset.",
        [typeof(ModelSpec)] = "model.",
        [typeof(OptimizerSpec)] = "optimizer.",
        [typeof(ScheduleSpec)] = "optimizer.schedule.",
        [typeof(EarlyStoppingSpec)] = "earlyStopping.",
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type == typeof(LayerSpec) && schema is OpenApiSchema layer && layer.Properties?.TryGetValue("type", out var type) == true && type is OpenApiSchema t)
        {
            t.Enum = [.. SpecVocabulary.Layers.Select(l => (JsonNode)JsonValue.Create(l.Name))];
            // Swashbuckle would add a branch of its own for null (no type: Redocly's nullable-type-sibling refuses it).
            foreach (string pair in new[] { "kernel", "stride", "padding" })
                if (layer.Properties.ContainsKey(pair)) layer.Properties[pair] = SizePairSchema(nullable: true);
            return;
        }
        if (!Paths.TryGetValue(context.Type, out var prefix) || schema is not OpenApiSchema s || s.Properties is null) return;
        foreach (var (name, property) in s.Properties)
        {
            if (property is not OpenApiSchema p) continue;
            var values = Choices(prefix + name);
            if (values is null) continue;
            p.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        }
    }

    /// <summary>A <see cref="SizePair"/>: one number for both sides, or [h, w]; when nullable, null is the number branch's (a
    /// oneOf must match exactly one).</summary>
    public static OpenApiSchema SizePairSchema(bool nullable)
    {
        var none = nullable ? JsonSchemaType.Null : 0;
        return new OpenApiSchema
        {
            OneOf =
            [
                new OpenApiSchema { Type = JsonSchemaType.Integer | none, Minimum = "0" },
                new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" }, MinItems = 2, MaxItems = 2 },
            ],
            Description = "a number for both sides, or [h, w]",
        };
    }

    /// <summary>The allowed values at a path: a spec field's (<see cref="SpecVocabulary.RunFields"/>), else a choice field
    /// of an optimizer (random_search's sampling).</summary>
    private static IReadOnlyList<string>? Choices(string path) =>
        SpecVocabulary.RunFields.FirstOrDefault(f => f.Name == path && f.Type == FieldType.Choice)?.Values
        ?? (path.StartsWith("optimizer.", StringComparison.Ordinal) && !path.StartsWith("optimizer.schedule.", StringComparison.Ordinal)
            ? SpecVocabulary.Optimizers.SelectMany(o => o.Fields).FirstOrDefault(f => "optimizer." + f.Name == path && f.Type == FieldType.Choice)?.Values
            : null);
}
