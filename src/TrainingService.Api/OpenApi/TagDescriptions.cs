using TrainingService.Api.Hosting;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace TrainingService.Api.OpenApi;

/// <summary>A description for each tag the endpoints use (<c>.WithTags</c>), in the order the dashboard's nav shows them.</summary>
public sealed class TagDescriptions : IDocumentFilter
{
    private static readonly (string Name, string Description)[] Tags =
    [
        ("Runs", "Training runs: submit a spec, follow its status and metrics, read the trained model and predict with it, " +
            "and the views drawn from it (loss landscape, decision boundary). Live updates come over the SignalR hub /hubs/training."),
        ("LrFinder", "The learning-rate range test (Smith 2017, fast.ai lr_find): a short run that raises the rate every step and suggests one."),
        ("Races", "Several runs that differ only in optimizer or model, on the same data, initial weights and batch order."),
        ("Sweeps", "Hyperparameter sweeps (W&B's sweep vocabulary): grid, random or bayes (TPE) trials of a base spec, parallel at a time across the workers, " +
            "ranked by a metric, with hyperband early termination; each trial is an ordinary run tagged sweep:{id}. Live: SubscribeSweep(sweepId) on the hub."),
        ("Datasets", "What runs train on: generators, real datasets built in (iris, wine, breast_cancer, digits, mnist), the data directory's files, and uploaded CSVs (replace and delete them here)."),
        ("Spec", "The run spec's vocabulary: every optimizer, schedule, activation, loss, initialisation, gradient source, " +
            "layer kind and built-in dataset, with each field's default and range (what the new-run form is built from)."),
    ];

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var used = document.Tags?.Select(t => t.Name).ToHashSet() ?? [];
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        foreach (string? other in used.Where(n => n is not null && !Tags.Any(t => t.Name == n)))
            document.Tags.Add(new OpenApiTag { Name = other });
    }
}
