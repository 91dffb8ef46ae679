using TrainingService.Api.Hosting;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using TrainingService.Api.Runs;
using TrainingService.Data.Entities;

namespace TrainingService.Api.OpenApi;

/// <summary>
/// The query parameters' real types. Handlers bind them as strings and parse them with <see cref="Query"/>, so a bad
/// value is a 400 naming the parameter rather than the framework's bare 400; the document says what they parse.
/// </summary>
public sealed class QueryParameterTypes : IOperationFilter
{
    private static readonly Dictionary<string, Func<OpenApiSchema>> Types = new()
    {
        ["page"] = () => Integer("int32", min: 1, fallback: 1),
        ["pageSize"] = () => Integer("int32", min: 1, max: RunsApi.MaxPageSize, fallback: 20),
        ["fromStep"] = () => Integer("int64", min: 0),
        ["toStep"] = () => Integer("int64", min: 0),
        ["maxPoints"] = () => Integer("int32", min: 2),
        ["row"] = () => Integer("int32", min: 0, fallback: 0), // below the run's test rows
        ["resolution"] = () => Integer("int32", min: 2), // the most differs by view and by run (Training__MaxGridCost)
        ["wMin"] = Number, ["wMax"] = Number, ["bMin"] = Number, ["bMax"] = Number,
        ["trajectory"] = () => new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(true) },
        ["status"] = () => new OpenApiSchema { Type = JsonSchemaType.String, Enum = RunStatus.All.Select(s => (JsonNode)JsonValue.Create(s)!).ToList() },
        ["ids"] = () => new OpenApiSchema { Type = JsonSchemaType.String, Pattern = @"^[0-9, ]+$", Examples = [JsonValue.Create("1,2")] },
    };

    /// <summary>Parameters bound as optional strings that the handler refuses when absent.</summary>
    private static readonly HashSet<string> Required = ["ids"];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            if (parameter.In == ParameterLocation.Query && parameter.Name is { } name && Types.TryGetValue(name, out var schema))
            {
                parameter.Schema = schema();
                parameter.Required |= Required.Contains(name);
            }
    }

    private static OpenApiSchema Integer(string format, long min, long? max = null, long? fallback = null) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = format,
        Minimum = min.ToString(CultureInfo.InvariantCulture),
        Maximum = max?.ToString(CultureInfo.InvariantCulture),
        Default = fallback is { } f ? JsonValue.Create(f) : null,
    };

    private static OpenApiSchema Number() => new() { Type = JsonSchemaType.Number, Format = "double" };
}
