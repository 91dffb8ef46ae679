using TrainingService.Api.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace TrainingService.Api.OpenApi;

/// <summary>
/// The API key as a security scheme, stated per operation as <see cref="ApiKeyMiddleware"/> applies it: a change
/// (any method but GET, HEAD, OPTIONS) needs the key; a read needs it only with <c>Training__ProtectReads</c>, so it is
/// documented as anonymous or keyed. Either way a 401 problem+json is a possible answer. Without a configured key the
/// service needs none (and listens on loopback only).
/// </summary>
public sealed class ApiKeySecurity : IOperationFilter
{
    public const string Scheme = "apiKey";

    public static readonly OpenApiSecurityScheme Definition = new()
    {
        Type = SecuritySchemeType.ApiKey,
        In = ParameterLocation.Header,
        Name = ApiKeyCheck.Header,
        Description = $"The service's key (Training__ApiKey), as the {ApiKeyCheck.Header} header (Authorization: Bearer also works). " +
            "Changes need it whenever a key is configured; reads under /api only with Training__ProtectReads.",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var key = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] };
        operation.Security = ApiKeyMiddleware.IsMutating(context.ApiDescription.HttpMethod ?? "GET")
            ? [key]
            : [new OpenApiSecurityRequirement(), key]; // {} = anonymous allowed

        operation.Responses ??= [];
        if (!operation.Responses.ContainsKey("401"))
            operation.Responses["401"] = new OpenApiResponse
            {
                Description = "Unauthorized: the API key is missing or wrong",
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["application/problem+json"] = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository) },
                },
            };
    }
}
