using TrainingService.Engine.Layers;
using TrainingService.Api.Hosting;
using Microsoft.OpenApi;
using TrainingService.Api.Specs;
using TrainingService.Engine.Training;

namespace TrainingService.Api.OpenApi;

/// <summary>The API documentation: Swagger JSON and UI. What the document says beyond the endpoints' own metadata
/// (operation ids, the API key, query types, examples, tag descriptions) is added by the filters in <c>OpenApi/</c>;
/// <c>tests/e2e/openapi.test.mjs</c> holds the served document to Redocly's recommended rules.</summary>
public static class ApiDocs
{
    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "TrainingService", Version = "v1", Description = "Train neural networks over HTTP and watch them learn.",
                // The repository has no licence file: no permission is granted beyond what the law allows, which the link explains.
                License = new OpenApiLicense { Name = "No licence (all rights reserved)", Url = new Uri("https://choosealicense.com/no-permission/") },
            });
            o.CustomSchemaIds(t => t.FullName!.Replace("TrainingService.", "").Replace('+', '.'));
            o.CustomOperationIds(OperationIds.Of);
            o.SchemaFilter<SpecSchemaFilter>(); // the spec's enums, from the engine's registry
            // A kernel, stride or padding: a number or [h, w] (SpecSchemaFilter writes LayerSpec's own, nullable, ones).
            o.MapType<SizePair>(() => SpecSchemaFilter.SizePairSchema(nullable: false));
            // A sweep parameter's value: any JSON value (a number, string, boolean or array such as [64, 64]), not an object.
            o.MapType<System.Text.Json.Nodes.JsonNode>(() => new OpenApiSchema { Description = "any JSON value: a number, string, boolean or array" });
            o.AddSecurityDefinition(ApiKeySecurity.Scheme, ApiKeySecurity.Definition);
            o.OperationFilter<ApiKeySecurity>();
            o.OperationFilter<QueryParameterTypes>();
            o.OperationFilter<RequestExamples>();
            o.SchemaFilter<RequestExamples>();
            o.DocumentFilter<TagDescriptions>();
        });
        return services;
    }

    /// <summary>The document's server is where it was fetched from (relative, so "Try it out" calls the same origin,
    /// behind a path base or a TLS-terminating proxy too).</summary>
    public static IApplicationBuilder UseApiDocs(this IApplicationBuilder app) =>
        app.UseSwagger(o => o.PreSerializeFilters.Add((doc, request) =>
                doc.Servers = [new OpenApiServer { Url = request.PathBase.HasValue ? request.PathBase.Value : "/", Description = "this service" }]))
            .UseSwaggerUI();
}
