using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Hosting;

/// <summary>How answers are written: JSON and RFC 9457 problem+json.</summary>
public static class ErrorResponses
{
    /// <summary>JSON: camelCase like specs; a diverged run's ∞/NaN are written as "Infinity"/"NaN" rather than failing
    /// the response. Errors: problem+json for exceptions, bad requests and unknown routes; a database blip is a 503
    /// with Retry-After, not a 500 (<see cref="StoreUnavailableHandler"/>).</summary>
    public static IServiceCollection AddJsonAndProblems(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            // A run's spec shows the fields it uses, no nulls for the rest (as the engine writes it).
            o.SerializerOptions.TypeInfoResolver = (o.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
                .WithAddedModifier(SpecJson.OmitUnsetFields);
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<StoreUnavailableHandler>();
        return services;
    }

    /// <summary>Exceptions (a bad request keeps its status) and bare status codes become problem+json.</summary>
    public static WebApplication UseProblems(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException b ? b.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        return app;
    }
}
