using Microsoft.OpenApi;
using TrainingService.Api.Specs;

namespace TrainingService.Api.Hosting;

/// <summary>The API documentation: Swagger JSON and UI.</summary>
public static class ApiDocs
{
    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo { Title = "TrainingService", Version = "v1", Description = "Train neural networks over HTTP and watch them learn." });
            o.CustomSchemaIds(t => t.FullName!.Replace("TrainingService.", "").Replace('+', '.'));
            o.SchemaFilter<SpecSchemaFilter>(); // the spec's enums, from the engine's registry
        });
        return services;
    }

    public static IApplicationBuilder UseApiDocs(this IApplicationBuilder app) => app.UseSwagger().UseSwaggerUI();
}
